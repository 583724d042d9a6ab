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
 *
 * <p>Immutable once built, so one matcher serves concurrent requests.
 */
final class LexiconMatcher {

  /**
   * Rules by their grapheme folded to one case, character by character (so its length stays), in
   * {@link #ORDER}; looked up once per grapheme length at each place a match may begin, which costs
   * the same with ten rules or fifty thousand.
   */
  private final Map<String, List<Candidate>> byFoldedGrapheme = new HashMap<>();

  /** The lengths of the graphemes, longest first. */
  private final int[] lengths;

  private final int ruleCount;

  private static final Comparator<Candidate> ORDER =
      Comparator.comparingInt(Candidate::lexicon)
          .thenComparing(c -> -c.rule().grapheme().length())
          .thenComparingInt(Candidate::index);

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
    java.util.TreeSet<Integer> distinct = new java.util.TreeSet<>(Comparator.reverseOrder());
    for (int l = 0; l < lexicons.size(); l++) {
      List<LexiconRule> rules = lexicons.get(l);
      for (int r = 0; r < rules.size(); r++) {
        LexiconRule rule = rules.get(r);
        boolean matchCase = hasCapital(rule.grapheme());
        byFoldedGrapheme
            .computeIfAbsent(fold(rule.grapheme()), k -> new ArrayList<>())
            .add(new Candidate(rule, l, r, matchCase));
        distinct.add(rule.grapheme().length());
      }
    }
    byFoldedGrapheme.values().forEach(list -> list.sort(ORDER));
    this.lengths = distinct.stream().mapToInt(Integer::intValue).toArray();
    this.ruleCount = lexicons.stream().mapToInt(List::size).sum();
  }

  int ruleCount() {
    return ruleCount;
  }

  Result apply(String text, PhonemeWriter phonemes) {
    String folded = fold(text);
    StringBuilder out = new StringBuilder(text.length());
    int applied = 0;
    int dropped = 0;
    int i = 0;
    while (i < text.length()) {
      int c = text.codePointAt(i);
      Candidate match = matchAt(text, folded, i, c);
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

  private Candidate matchAt(String text, String folded, int i, int c) {
    boolean wordBefore = i > 0 && isWordCharacter(text.codePointBefore(i));
    if (wordBefore && isWordCharacter(c)) {
      return null; // inside a word: no grapheme may begin here
    }
    Candidate best = null;
    for (int length : lengths) {
      if (i + length > text.length()) {
        continue;
      }
      List<Candidate> candidates = byFoldedGrapheme.get(folded.substring(i, i + length));
      if (candidates == null) {
        continue;
      }
      Candidate found = firstMatch(candidates, text, i, wordBefore);
      if (found != null && (best == null || ORDER.compare(found, best) < 0)) {
        best = found;
      }
    }
    return best;
  }

  /** The first of {@code candidates} (same folded grapheme, in {@link #ORDER}) that fits here. */
  private static Candidate firstMatch(
      List<Candidate> candidates, String text, int i, boolean wordBefore) {
    for (Candidate candidate : candidates) {
      String grapheme = candidate.rule().grapheme();
      int end = i + grapheme.length();
      if (wordBefore && isWordCharacter(grapheme.codePointAt(0))) {
        continue;
      }
      if (candidate.matchCase() && !text.startsWith(grapheme, i)) {
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

  /**
   * One case, character by character, as {@link String#regionMatches(boolean, int, String, int,
   * int)} compares: the length never changes, so offsets into the folded text are offsets into the
   * text.
   */
  private static String fold(String s) {
    char[] chars = s.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      chars[i] = Character.toLowerCase(Character.toUpperCase(chars[i]));
    }
    return new String(chars);
  }
}
