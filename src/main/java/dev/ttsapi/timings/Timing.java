package dev.ttsapi.timings;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where one sentence, word or SSML mark is heard in a request's audio, and where it stands in the
 * request's text.
 *
 * @param unit what this is
 * @param text what is spoken (a mark: its name)
 * @param startMs where it starts in the audio
 * @param endMs where it ends (a mark: its start)
 * @param charStart index of its first character in the submitted text
 * @param charEnd index just past its last character
 * @param source whether the engine measured it or it was estimated
 */
public record Timing(
    Unit unit, String text, long startMs, long endMs, int charStart, int charEnd, Source source) {

  public Timing {
    if (endMs < startMs || charEnd < charStart || startMs < 0 || charStart < 0) {
      throw new IllegalArgumentException(
          "bad timing " + unit + " " + startMs + ".." + endMs + " @" + charStart + ".." + charEnd);
    }
  }

  /** What a timing is of; in this order when several start at the same moment. */
  public enum Unit {
    MARK,
    SENTENCE,
    WORD;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Who said where it is. */
  public enum Source {
    /** Measured: from the audio the engine returned (sentences) or the engine's own word events. */
    ENGINE,
    /** Estimated inside a measured span from the length of its words. */
    ESTIMATED;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The same timing at other character offsets. */
  Timing at(int start, int end) {
    return new Timing(unit, text, startMs, endMs, start, Math.max(start, end), source);
  }
}
