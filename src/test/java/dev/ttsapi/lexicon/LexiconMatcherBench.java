package dev.ttsapi.lexicon;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * What lexicons cost a submission: building the matcher of 5 lexicons and applying it to a text.
 * Not a test; {@code bench/lexicon-matcher.sh} runs it in a process of its own. Prints {@code
 * RESULT rules=… text_chars=… build_ms=… apply_ms=… replaced=…} with the median of the runs.
 *
 * <p>Arguments: {@code <rules per lexicon> <text characters> <runs>}. Graphemes are made-up words
 * (a quarter Vietnamese syllables with diacritics, some capitalised, some with a dot inside); the
 * text is made of the same kind of words, one in twenty a grapheme of some lexicon.
 */
public final class LexiconMatcherBench {

  private static final String[] SYLLABLES = {
    "ba", "cô", "đi", "hà", "lý", "mẹ", "nội", "phố", "sài", "thành", "tôi", "ười", "xe", "yêu"
  };
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";

  private LexiconMatcherBench() {}

  public static void main(String[] args) {
    int rulesPerLexicon = Integer.parseInt(args[0]);
    int textChars = Integer.parseInt(args[1]);
    int runs = Integer.parseInt(args[2]);
    Random random = new Random(42);
    List<List<LexiconRule>> lexicons = new ArrayList<>();
    List<String> graphemes = new ArrayList<>();
    for (int l = 0; l < 5; l++) {
      List<LexiconRule> rules = new ArrayList<>();
      for (int r = 0; r < rulesPerLexicon; r++) {
        String grapheme = word(random);
        graphemes.add(grapheme);
        rules.add(LexiconRule.alias(grapheme, "alias " + r));
      }
      lexicons.add(rules);
    }
    StringBuilder text = new StringBuilder();
    while (text.length() < textChars) {
      text.append(
          random.nextInt(20) == 0 ? graphemes.get(random.nextInt(graphemes.size())) : word(random));
      text.append(random.nextInt(12) == 0 ? ". " : " ");
    }
    String input = text.toString();

    long[] build = new long[runs];
    long[] apply = new long[runs];
    int replaced = 0;
    for (int warm = 0; warm < 3; warm++) {
      new LexiconMatcher(lexicons).apply(input, LexiconMatcher.PhonemeWriter.NONE);
    }
    for (int run = 0; run < runs; run++) {
      long start = System.nanoTime();
      LexiconMatcher matcher = new LexiconMatcher(lexicons);
      long built = System.nanoTime();
      replaced = matcher.apply(input, LexiconMatcher.PhonemeWriter.NONE).applied();
      long applied = System.nanoTime();
      build[run] = built - start;
      apply[run] = applied - built;
    }
    System.out.printf(
        "RESULT rules=%d text_chars=%d build_ms=%.2f apply_ms=%.2f replaced=%d%n",
        5 * rulesPerLexicon, input.length(), median(build) / 1e6, median(apply) / 1e6, replaced);
  }

  private static String word(Random random) {
    StringBuilder w = new StringBuilder();
    if (random.nextInt(4) == 0) {
      w.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
    } else {
      int length = 3 + random.nextInt(7);
      for (int i = 0; i < length; i++) {
        w.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
      }
    }
    if (random.nextInt(10) == 0) {
      w.setCharAt(0, Character.toUpperCase(w.charAt(0)));
    }
    if (random.nextInt(30) == 0) {
      w.append(".").append(LETTERS.charAt(random.nextInt(LETTERS.length())));
    }
    return w.toString();
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
