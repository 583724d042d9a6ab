package dev.ttsapi.lexicon;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Applies lexicons to a text in one pass from left to right, so a replacement is never matched
 * again (rules cannot chain or loop).
 *
 * <ul>
 *   <li><b>Word boundaries.</b> A grapheme matches only as a whole word: where it begins with a
 *       letter, digit or combining mark, the character before it must not be one; the same at its
 *       end. Letters are Unicode letters, so "Hà" in "Hàng" is not a match, and a grapheme that
 *       starts or ends with punctuation ("TP.HCM", "C++") needs no boundary on that side.
 *   <li><b>Case.</b> A grapheme written all in lower case matches any case ("tomato" matches
 *       "Tomato" and "TOMATO"); one with a capital letter matches only as written ("US" is not
 *       "us").
 *   <li><b>Overlaps.</b> The leftmost match wins; at one position the rule of the earlier lexicon
 *       in the request wins, and within one lexicon the longest grapheme (then the first rule).
 *   <li><b>Text.</b> Both sides are NFC (lexicons are normalized when stored, text when submitted),
 *       so Vietnamese diacritics match as single code points and stay as they are.
 * </ul>
 */
final class LexiconMatcher {

  private final Map<Integer, List<Candidate>> byFirstCharacter = new HashMap<>();

  private record Candidate(LexiconRule rule, int lexicon, int index, boolean matchCase) {}

  /**
   * What a rule's phoneme becomes in the engine's text: its span, or empty when the engine takes no
   * phonemes or the phoneme cannot be written in its alphabet.
   */
  interface PhonemeWriter extends Function<String, Optional<String>> {
    PhonemeWriter NONE = ipa -> Optional.empty();
  }

  /**
   * @param replaced the text to speak
   * @param applied how many matches were replaced (by an alias or a phoneme)
   * @param phonemeRulesDropped how many matches of phoneme-only rules were left as written, the
   *     engine taking no phonemes (or not these)
   */
  record Result(String replaced, int applied, int phonemeRulesDropped) {}

  /**
   * @param lexicons the rules of each lexicon, in the order the request named them
   */
  LexiconMatcher(List<List<LexiconRule>> lexicons) {
    for (int l = 0; l < lexicons.size(); l++) {
      List<LexiconRule> rules = lexicons.get(l);
      for (int r = 0; r < rules.size(); r++) {
        LexiconRule rule = rules.get(r);
        boolean matchCase = hasCapital(rule.grapheme());
        byFirstCharacter
            .computeIfAbsent(fold(rule.grapheme().codePointAt(0)), k -> new ArrayList<>())
            .add(new Candidate(rule, l, r, matchCase));
      }
    }
    Comparator<Candidate> order =
        Comparator.comparingInt(Candidate::lexicon)
            .thenComparing(c -> -c.rule().grapheme().length())
            .thenComparingInt(Candidate::index);
    byFirstCharacter.values().forEach(list -> list.sort(order));
  }

  Result apply(String text, PhonemeWriter phonemes) {
    StringBuilder out = new StringBuilder(text.length());
    int applied = 0;
    int dropped = 0;
    int i = 0;
    while (i < text.length()) {
      int c = text.codePointAt(i);
      Candidate match = matchAt(text, i, c);
      if (match == null) {
        out.appendCodePoint(c);
        i += Character.charCount(c);
        continue;
      }
      LexiconRule rule = match.rule();
      Optional<String> spoken =
          rule.phoneme() == null ? Optional.empty() : phonemes.apply(rule.phoneme());
      if (spoken.isEmpty() && rule.alias() != null) {
        spoken = Optional.of(rule.alias());
      }
      int end = i + rule.grapheme().length();
      if (spoken.isPresent()) {
        out.append(spoken.get());
        applied++;
      } else {
        out.append(text, i, end);
        dropped++;
      }
      i = end;
    }
    return new Result(out.toString(), applied, dropped);
  }

  private Candidate matchAt(String text, int i, int c) {
    List<Candidate> candidates = byFirstCharacter.get(fold(c));
    if (candidates == null) {
      return null;
    }
    boolean wordBefore = i > 0 && isWordCharacter(text.codePointBefore(i));
    for (Candidate candidate : candidates) {
      String grapheme = candidate.rule().grapheme();
      int end = i + grapheme.length();
      if (end > text.length()
          || !text.regionMatches(!candidate.matchCase(), i, grapheme, 0, grapheme.length())) {
        continue;
      }
      if (wordBefore && isWordCharacter(grapheme.codePointAt(0))) {
        continue;
      }
      if (end < text.length()
          && isWordCharacter(grapheme.codePointBefore(grapheme.length()))
          && isWordCharacter(text.codePointAt(end))) {
        continue;
      }
      return candidate;
    }
    return null;
  }

  static boolean isWordCharacter(int c) {
    if (Character.isLetterOrDigit(c)) {
      return true;
    }
    int type = Character.getType(c);
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  private static boolean hasCapital(String s) {
    return s.codePoints().anyMatch(c -> Character.isUpperCase(c) || Character.isTitleCase(c));
  }

  private static int fold(int c) {
    return Character.toLowerCase(Character.toUpperCase(c));
  }
}
