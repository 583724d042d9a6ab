package dev.ttsapi.text;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cuts normalized text into chunks an engine synthesizes one at a time. Chunks end at sentence
 * boundaries where possible (several short sentences share a chunk); a sentence longer than the
 * limit is cut after a comma or similar, else at a space, and a single word longer than the limit
 * is cut hard (never inside a surrogate pair or before a combining mark). Every chunk is trimmed,
 * non-blank and at most {@code maxChunkChars} long; putting the chunks back together, whitespace
 * aside, gives the input.
 */
public final class SentenceSplitter {

  private SentenceSplitter() {}

  public static List<String> split(String text, int maxChunkChars) {
    return split(text, maxChunkChars, Locale.ROOT);
  }

  public static List<String> split(String text, int maxChunkChars, Locale locale) {
    if (maxChunkChars < 2) {
      throw new IllegalArgumentException("chunks must allow at least 2 chars: " + maxChunkChars);
    }
    List<String> chunks = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return chunks;
    }
    List<String> pieces = new ArrayList<>();
    for (String sentence : sentences(text, locale)) {
      pieces.addAll(cutToSize(sentence, maxChunkChars));
    }
    return pack(pieces, maxChunkChars);
  }

  /**
   * Joins consecutive pieces with a space into chunks of at most {@code maxChunkChars} (a piece
   * longer than that stays a chunk of its own), in order.
   */
  public static List<String> pack(List<String> pieces, int maxChunkChars) {
    List<String> chunks = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String piece : pieces) {
      if (current.length() > 0 && current.length() + 1 + piece.length() > maxChunkChars) {
        chunks.add(current.toString());
        current.setLength(0);
      }
      if (current.length() > 0) {
        current.append(' ');
      }
      current.append(piece);
    }
    if (current.length() > 0) {
      chunks.add(current.toString());
    }
    return chunks;
  }

  /**
   * Sentences, trimmed and non-blank; a line break always ends one, and a period after a known
   * abbreviation ("Mr. Smith", "TP. Hồ Chí Minh") does not.
   */
  private static List<String> sentences(String text, Locale locale) {
    List<String> result = new ArrayList<>();
    BreakIterator iterator = BreakIterator.getSentenceInstance(locale);
    for (String line : text.split("\n")) {
      iterator.setText(line);
      String pending = null;
      int start = iterator.first();
      for (int end = iterator.next();
          end != BreakIterator.DONE;
          start = end, end = iterator.next()) {
        String sentence = line.substring(start, end).strip();
        if (sentence.isEmpty()) {
          continue;
        }
        pending = pending == null ? sentence : pending + " " + sentence;
        if (!endsWithAbbreviation(pending)) {
          result.add(pending);
          pending = null;
        }
      }
      if (pending != null) {
        result.add(pending);
      }
    }
    return result;
  }

  /**
   * Abbreviations that end in a period but not a sentence, in English and Vietnamese (TP. thành
   * phố, Q. quận, P. phường, TS. tiến sĩ, ...), compared as they are written.
   */
  private static final Set<String> ABBREVIATIONS =
      Set.of(
          "Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr", "St", "Mt", "vs", "etc", "e.g", "i.e", "No",
          "Inc", "Ltd", "Co", "Jan", "Feb", "Aug", "Sept", "Oct", "Nov", "Dec", "TP", "Tp", "Q",
          "P", "TT", "TX", "GS", "PGS", "TS", "ThS", "BS", "KS", "CN", "ĐH", "THPT", "UBND");

  private static boolean endsWithAbbreviation(String sentence) {
    if (!sentence.endsWith(".")) {
      return false;
    }
    String body = sentence.substring(0, sentence.length() - 1);
    return ABBREVIATIONS.contains(body.substring(body.lastIndexOf(' ') + 1));
  }

  private static List<String> cutToSize(String sentence, int max) {
    List<String> pieces = new ArrayList<>();
    String rest = sentence;
    while (rest.length() > max) {
      int cut = lastBreak(rest, max);
      pieces.add(rest.substring(0, cut).strip());
      rest = rest.substring(cut).strip();
    }
    if (!rest.isEmpty()) {
      pieces.add(rest);
    }
    return pieces;
  }

  /**
   * Where to end a piece of at most {@code max} chars: after the last clause punctuation, else at
   * the last space, else a hard cut. Only cuts that leave non-blank text before them count.
   */
  private static int lastBreak(String s, int max) {
    for (int i = max - 1; i > 0; i--) {
      char c = s.charAt(i);
      if ((c == ',' || c == ';' || c == ':' || c == '\u3001' || c == '\uFF0C')
          && !s.substring(0, i + 1).isBlank()) {
        return i + 1;
      }
    }
    for (int i = max; i > 0; i--) {
      if (Character.isWhitespace(s.charAt(i)) && !s.substring(0, i).isBlank()) {
        return i;
      }
    }
    int cut = max;
    while (cut > 1
        && (Character.isLowSurrogate(s.charAt(cut))
            || Character.getType(s.charAt(cut)) == Character.NON_SPACING_MARK
            || Character.getType(s.charAt(cut)) == Character.COMBINING_SPACING_MARK)) {
      cut--;
    }
    return cut;
  }
}
