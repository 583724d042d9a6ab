package dev.ttsapi.engine.espeak;

import dev.ttsapi.engine.PhonemeMarkup;
import java.util.Arrays;

/**
 * What espeak-ng reads for one chunk, and where each of its characters came from in the chunk's
 * text, so that the positions of espeak-ng's word events become the chunk's character offsets.
 *
 * <p>A client's words are defused (a {@code [} followed by another gets a space, so {@code [[}
 * never opens espeak-ng's phoneme input), and a lexicon's pronunciations ({@link PhonemeMarkup})
 * become phoneme input {@code [[...]]}, every character of which stands for the whole span.
 *
 * @param text what espeak-ng is given
 * @param from for each char of {@code text}, the first char of the chunk it stands for
 * @param to for each char of {@code text}, the chunk char just past what it stands for
 * @param chunk the chunk's text
 */
record EspeakInput(String text, int[] from, int[] to, String chunk) {

  /** The chunk as espeak-ng reads it. */
  static EspeakInput of(String chunk) {
    Builder out = new Builder(chunk.length());
    int i = 0;
    for (PhonemeMarkup.Span span : PhonemeMarkup.spans(chunk)) {
      words(chunk, i, span.start(), true, out);
      out.append("[[" + span.phonemes() + "]]", span.start(), span.end());
      i = span.end();
    }
    words(chunk, i, chunk.length(), false, out);
    return out.build(chunk);
  }

  /** Text that is all words, markup or not. */
  static EspeakInput plain(String text) {
    Builder out = new Builder(text.length());
    words(text, 0, text.length(), false, out);
    return out.build(text);
  }

  /** A client's words, {@code [start, end)} of the chunk, with every {@code [[} defused. */
  private static void words(String chunk, int start, int end, boolean spanFollows, Builder out) {
    for (int i = start; i < end; i++) {
      char c = chunk.charAt(i);
      out.append(c, i, i + 1);
      boolean bracketFollows = i + 1 < end ? chunk.charAt(i + 1) == '[' : spanFollows;
      if (c == '[' && bracketFollows) {
        out.append(' ', i, i + 1); // "[[" would open phoneme input, and so would "[" + "[[...]]"
      }
    }
  }

  /** Phonemes in espeak-ng's mnemonics, each of them standing for all of {@code words}. */
  static EspeakInput phonemes(String phonemes, String words) {
    Builder out = new Builder(phonemes.length() + 4);
    out.append("[[" + phonemes + "]]", 0, words.length());
    return out.build(words);
  }

  /**
   * The chunk's chars {@code [start, end)} of the word espeak-ng reports at {@code position}
   * (1-based, in code points of {@link #text}) and {@code codePoints} long; null when the position
   * is outside the text.
   */
  int[] chunkSpan(int position, int codePoints) {
    int count = text.codePointCount(0, text.length());
    int first = position - 1;
    if (first < 0 || first >= count) {
      return null;
    }
    int last = Math.min(count, first + Math.max(1, codePoints)) - 1;
    int firstChar = text.offsetByCodePoints(0, first);
    int lastChar = text.offsetByCodePoints(firstChar, last - first);
    if (Character.isHighSurrogate(text.charAt(lastChar)) && lastChar + 1 < text.length()) {
      lastChar++;
    }
    return new int[] {from[firstChar], Math.max(from[firstChar], to[lastChar])};
  }

  private static final class Builder {
    private final StringBuilder text;
    private int[] from;
    private int[] to;

    Builder(int capacity) {
      text = new StringBuilder(capacity + 8);
      from = new int[capacity + 8];
      to = new int[capacity + 8];
    }

    void append(char c, int start, int end) {
      if (text.length() == from.length) {
        from = Arrays.copyOf(from, from.length * 2);
        to = Arrays.copyOf(to, to.length * 2);
      }
      from[text.length()] = start;
      to[text.length()] = end;
      text.append(c);
    }

    void append(String s, int start, int end) {
      for (int k = 0; k < s.length(); k++) {
        append(s.charAt(k), start, end);
      }
    }

    EspeakInput build(String chunk) {
      return new EspeakInput(
          text.toString(),
          Arrays.copyOf(from, text.length()),
          Arrays.copyOf(to, text.length()),
          chunk);
    }
  }
}
