package dev.ttsapi.timings;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the characters of a text derived from a source (a chunk cut from it, the text after a
 * lexicon replaced words, an SSML document's words) stand in that source. Words are matched in
 * order, whole words only, outside SSML tags; a word the source does not have (an alias, a number
 * read out by {@code say-as}) stands for the stretch of source between the words that matched
 * around it.
 */
final class Alignment {

  /** How far past the last match a word is looked for: long tags and skipped text fit in it. */
  private static final int WINDOW = 4_000;

  private final int[] from;
  private final int[] to;
  private final int sourceStart;
  private final int sourceEnd;

  private Alignment(int[] from, int[] to, int sourceStart, int sourceEnd) {
    this.from = from;
    this.to = to;
    this.sourceStart = sourceStart;
    this.sourceEnd = sourceEnd;
  }

  /**
   * Aligns {@code derived} with {@code source} from index {@code start} on.
   *
   * @param markup whether {@code source} is SSML (words inside tags do not count)
   */
  static Alignment of(String source, int start, String derived, boolean markup) {
    List<int[]> words = words(derived);
    int[] found = new int[words.size()];
    int cursor = start;
    for (int k = 0; k < words.size(); k++) {
      int[] w = words.get(k);
      int at = find(source, derived.substring(w[0], w[1]), cursor, markup);
      found[k] = at;
      if (at >= 0) {
        cursor = at + (w[1] - w[0]);
      }
    }
    int[] from = new int[derived.length()];
    int[] to = new int[derived.length()];
    int previousEnd = start;
    int k = 0;
    while (k < words.size()) {
      int[] w = words.get(k);
      if (found[k] >= 0) {
        for (int i = w[0]; i < w[1]; i++) {
          from[i] = found[k] + (i - w[0]);
          to[i] = from[i] + 1;
        }
        previousEnd = found[k] + (w[1] - w[0]);
        k++;
        continue;
      }
      // a run of unmatched words: each stands for the stretch up to the next match
      int run = k;
      while (run < words.size() && found[run] < 0) {
        run++;
      }
      int stretchEnd =
          run < words.size()
              ? found[run]
              : Math.min(source.length(), previousEnd + words.get(run - 1)[1] - w[0] + 1);
      int[] stretch = trim(source, previousEnd, Math.max(previousEnd, stretchEnd), markup);
      for (int j = k; j < run; j++) {
        for (int i = words.get(j)[0]; i < words.get(j)[1]; i++) {
          from[i] = stretch[0];
          to[i] = stretch[1];
        }
      }
      previousEnd = Math.max(previousEnd, stretch[1]);
      k = run;
    }
    // whitespace between words points at the start of the next word (or the end)
    int next = previousEnd;
    for (int i = derived.length() - 1; i >= 0; i--) {
      if (Character.isWhitespace(derived.charAt(i))) {
        from[i] = next;
        to[i] = next;
      } else {
        next = from[i];
      }
    }
    return new Alignment(from, to, start, previousEnd);
  }

  /** Source index of derived index {@code i} (a start). */
  int start(int i) {
    if (from.length == 0) {
      return sourceStart;
    }
    return i >= from.length ? sourceEnd : from[i];
  }

  /** Source index just past derived index {@code i - 1} (an end, exclusive). */
  int end(int i) {
    if (i <= 0 || to.length == 0) {
      return start(0);
    }
    return to[Math.min(i, to.length) - 1];
  }

  /** Where the source goes on after the derived text. */
  int sourceEnd() {
    return sourceEnd;
  }

  /** Maximal runs of non-whitespace: {start, end}. */
  private static List<int[]> words(String s) {
    List<int[]> words = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      int begin = i;
      while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      if (i > begin) {
        words.add(new int[] {begin, i});
      }
    }
    return words;
  }

  private static int find(String source, String word, int from, boolean markup) {
    int limit = Math.min(source.length(), from + WINDOW + word.length());
    // bounded by the window: a word the source does not have costs no scan of the whole source
    for (int at = from; at + word.length() <= limit; at++) {
      if (source.startsWith(word, at)
          && wholeWord(source, at, word)
          && !(markup && insideTag(source, at))) {
        return at;
      }
    }
    return -1;
  }

  private static boolean wholeWord(String source, int at, String word) {
    boolean before =
        !Character.isLetterOrDigit(word.charAt(0))
            || at == 0
            || !Character.isLetterOrDigit(source.charAt(at - 1));
    int end = at + word.length();
    boolean after =
        !Character.isLetterOrDigit(word.charAt(word.length() - 1))
            || end == source.length()
            || !Character.isLetterOrDigit(source.charAt(end));
    return before && after;
  }

  private static boolean insideTag(String source, int at) {
    return source.lastIndexOf('<', at) > source.lastIndexOf('>', at - 1);
  }

  /** The stretch without whitespace (and tags, in markup) at its ends. */
  private static int[] trim(String source, int begin, int end, boolean markup) {
    int b = begin;
    int e = end;
    while (b < e) {
      if (Character.isWhitespace(source.charAt(b))) {
        b++;
      } else if (markup && source.charAt(b) == '<' && source.indexOf('>', b) >= 0) {
        b = Math.min(e, source.indexOf('>', b) + 1);
      } else {
        break;
      }
    }
    while (e > b) {
      if (Character.isWhitespace(source.charAt(e - 1))) {
        e--;
      } else if (markup && source.charAt(e - 1) == '>' && source.lastIndexOf('<', e - 1) >= b) {
        e = source.lastIndexOf('<', e - 1);
      } else {
        break;
      }
    }
    return new int[] {b, Math.max(b, e)};
  }
}
