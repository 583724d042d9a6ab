package dev.ttsapi.timings;

import java.util.ArrayList;
import java.util.List;

/**
 * Captions (WebVTT, SRT) made from word timings: a cue holds at most {@link #LINES} lines of at
 * most {@link #LINE} characters, ends at a sentence's end, and never splits a word (a word longer
 * than a line is a line of its own). Words are shown as written in the submitted text, with their
 * punctuation.
 */
final class Captions {

  static final int LINE = 42;
  static final int LINES = 2;

  private Captions() {}

  record Cue(long startMs, long endMs, List<String> lines) {}

  static List<Cue> cues(Timings timings, String text, boolean markup) {
    List<Cue> cues = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    long start = -1;
    long end = 0;
    int lastTokenEnd = -1;
    for (Timing word : timings.of(Timing.Unit.WORD)) {
      int[] token = token(text, word, markup);
      if (token[0] < lastTokenEnd) {
        continue; // a second word of the same written token: already shown
      }
      lastTokenEnd = token[1];
      String shown = shown(text.substring(token[0], token[1]), word.text());
      if (line.length() > 0 && line.length() + 1 + shown.length() > LINE) {
        lines.add(line.toString());
        line.setLength(0);
        if (lines.size() == LINES) {
          cues.add(cue(start, end, lines));
          lines = new ArrayList<>();
          start = -1;
        }
      }
      if (start < 0) {
        start = word.startMs();
      }
      line.append(line.length() > 0 ? " " : "").append(shown);
      end = Math.max(end, word.endMs());
      if (endsSentence(shown)) {
        lines.add(line.toString());
        line.setLength(0);
        cues.add(cue(start, end, lines));
        lines = new ArrayList<>();
        start = -1;
      }
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    if (!lines.isEmpty()) {
      cues.add(cue(start, end, lines));
    }
    return cues;
  }

  static String vtt(List<Cue> cues) {
    StringBuilder out = new StringBuilder("WEBVTT\n\n");
    int n = 1;
    for (Cue cue : cues) {
      out.append(n++).append('\n');
      out.append(time(cue.startMs(), '.')).append(" --> ").append(time(cue.endMs(), '.'));
      out.append('\n');
      for (String line : cue.lines()) {
        // WebVTT cue text is markup of its own
        out.append(line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
        out.append('\n');
      }
      out.append('\n');
    }
    return out.toString();
  }

  static String srt(List<Cue> cues) {
    StringBuilder out = new StringBuilder();
    int n = 1;
    for (Cue cue : cues) {
      out.append(n++).append('\n');
      out.append(time(cue.startMs(), ',')).append(" --> ").append(time(cue.endMs(), ','));
      out.append('\n');
      cue.lines().forEach(line -> out.append(line).append('\n'));
      out.append('\n');
    }
    return out.toString();
  }

  private static Cue cue(long start, long end, List<String> lines) {
    return new Cue(start, Math.max(end, start + 1), List.copyOf(lines));
  }

  /** The written token around a word: to the whitespace (or tag) on either side. */
  private static int[] token(String text, Timing word, boolean markup) {
    int s = Math.min(word.charStart(), text.length());
    int e = Math.clamp(word.charEnd(), s, text.length());
    while (s > 0 && !stop(text.charAt(s - 1), markup)) {
      s--;
    }
    while (e < text.length() && !stop(text.charAt(e), markup)) {
      e++;
    }
    return new int[] {s, e};
  }

  private static boolean stop(char c, boolean markup) {
    return Character.isWhitespace(c) || (markup && (c == '<' || c == '>'));
  }

  private static String shown(String written, String spoken) {
    String s = written.strip();
    return s.isEmpty() ? spoken : s;
  }

  private static boolean endsSentence(String shown) {
    return shown.matches(".*[.!?…。！？][\"')\\]”’»]*");
  }

  /** {@code hh:mm:ss.mmm} (WebVTT) or {@code hh:mm:ss,mmm} (SRT). */
  static String time(long ms, char separator) {
    return String.format(
        "%02d:%02d:%02d%c%03d",
        ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, separator, ms % 1000);
  }
}
