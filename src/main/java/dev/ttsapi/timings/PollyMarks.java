package dev.ttsapi.timings;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Timings as Amazon Polly's speech marks: one JSON object per line, {@code {"time", "type",
 * "start", "end", "value"}}, where {@code start} and {@code end} are UTF-8 byte offsets into the
 * input text (as Polly counts them) and an SSML mark has type {@code ssml}.
 */
final class PollyMarks {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private PollyMarks() {}

  static String of(Timings timings, String text) {
    int[] bytes = byteOffsets(text);
    StringBuilder lines = new StringBuilder();
    for (Timing t : timings.timings()) {
      Map<String, Object> mark = new LinkedHashMap<>();
      mark.put("time", t.startMs());
      mark.put(
          "type",
          switch (t.unit()) {
            case SENTENCE -> "sentence";
            case WORD -> "word";
            case MARK -> "ssml";
          });
      mark.put("start", bytes[Math.min(t.charStart(), text.length())]);
      mark.put("end", bytes[Math.min(t.charEnd(), text.length())]);
      mark.put("value", t.text());
      lines.append(JSON.writeValueAsString(mark)).append('\n');
    }
    return lines.toString();
  }

  /** For each char index (and the end), the UTF-8 bytes before it. */
  private static int[] byteOffsets(String text) {
    int[] at = new int[text.length() + 1];
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      at[i] = bytes;
      char c = text.charAt(i);
      // a surrogate pair is 4 bytes: 2 for each half
      bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
    }
    at[text.length()] = bytes;
    return at;
  }
}
