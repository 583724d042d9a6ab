package dev.ttsapi.ssml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * IPA to the phoneme notations of the engines that take phonemes, for English voices: espeak-ng's
 * own mnemonics (spoken from {@code [[...]]}) and MaryTTS's en_US allophone set (MaryXML {@code <t
 * ph="...">}). IPA that has a symbol with no counterpart is not guessed at: the caller drops the
 * phoneme and speaks its text, and says so.
 */
final class PhonemeAlphabets {

  private PhonemeAlphabets() {}

  /** IPA → espeak-ng (en), longest symbols first. */
  private static final Map<String, String> ESPEAK =
      table(
          "tʃ", "tS", "dʒ", "dZ", "eɪ", "eI", "aɪ", "aI", "ɔɪ", "OI", "aʊ", "aU", "oʊ", "oU", "əʊ",
          "@U", "ɪə", "i@", "eə", "e@", "ʊə", "U@", "iː", "i:", "uː", "u:", "ɑː", "A:", "ɔː", "O:",
          "ɜː", "3:", "ɝ", "3:", "ɚ", "3", "ə", "@", "ɪ", "I", "ʊ", "U", "ɛ", "E", "e", "e", "æ",
          "a", "ʌ", "V", "ɑ", "A:", "ɒ", "0", "ɔ", "O:", "i", "i", "u", "u", "a", "a", "o", "o",
          "θ", "T", "ð", "D", "ʃ", "S", "ʒ", "Z", "ŋ", "N", "ɹ", "r", "r", "r", "ɾ", "t", "ɡ", "g",
          "g", "g", "j", "j", "w", "w", "h", "h", "p", "p", "b", "b", "t", "t", "d", "d", "k", "k",
          "f", "f", "v", "v", "s", "s", "z", "z", "m", "m", "n", "n", "l", "l", "ˈ", "'", "ˌ", ",",
          "ː", ":", ".", "", " ", " ");

  /** IPA → MaryTTS en_US phones (length marks dropped: the set has none). */
  private static final Map<String, String> MARY =
      table(
          "tʃ", "tS", "dʒ", "dZ", "eɪ", "EI", "aɪ", "AI", "ɔɪ", "OI", "aʊ", "aU", "oʊ", "@U", "əʊ",
          "@U", "ɜː", "r=", "ɝ", "r=", "ɚ", "r=", "ɜ", "r=", "iː", "i", "uː", "u", "ɑː", "A", "ɔː",
          "O", "ɑ", "A", "ɒ", "A", "ɔ", "O", "ə", "@", "ɪ", "I", "ʊ", "U", "ɛ", "E", "e", "E", "æ",
          "{", "ʌ", "V", "i", "i", "u", "u", "θ", "T", "ð", "D", "ʃ", "S", "ʒ", "Z", "ŋ", "N", "ɹ",
          "r", "r", "r", "ɡ", "g", "g", "g", "j", "j", "w", "w", "h", "h", "p", "p", "b", "b", "t",
          "t", "d", "d", "k", "k", "f", "f", "v", "v", "s", "s", "z", "z", "m", "m", "n", "n", "l",
          "l", "ː", "");

  private static Map<String, String> table(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  /** Why IPA cannot be given to an engine, or the phonemes to give it. */
  record Mapped(String phonemes, String whyNot) {}

  /**
   * @param engine the engine id
   * @param language the language of the voice that speaks the span
   */
  static Mapped map(String engine, String language, String ipa) {
    boolean english = language != null && language.toLowerCase(Locale.ROOT).startsWith("en");
    return switch (engine) {
      case "espeak" ->
          english
              ? espeak(ipa)
              : new Mapped(null, "IPA is mapped to espeak-ng phonemes for English voices only");
      case "mary" ->
          english
              ? mary(ipa)
              : new Mapped(null, "IPA is mapped to MaryTTS phonemes for English voices only");
      default -> new Mapped(null, engine + " takes no phonemes");
    };
  }

  private static Mapped espeak(String ipa) {
    List<String> symbols = new ArrayList<>();
    Optional<String> unknown = tokenize(ipa, ESPEAK, symbols);
    if (unknown.isPresent()) {
      return unmapped(unknown.get(), "espeak-ng");
    }
    return new Mapped(String.join("", symbols).strip(), null);
  }

  /**
   * Mary's notation: phones separated by spaces, syllables by " - ", "'" before a stressed
   * syllable, words by " | ". IPA's ˈ, ˌ and . start a syllable.
   */
  private static Mapped mary(String ipa) {
    List<String> words = new ArrayList<>();
    for (String word : ipa.strip().split("\\s+")) {
      List<List<String>> syllables = new ArrayList<>();
      List<String> syllable = new ArrayList<>();
      int i = 0;
      while (i < word.length()) {
        char c = word.charAt(i);
        if (c == 'ˈ' || c == 'ˌ' || c == '.' || c == '\'') {
          if (!syllable.isEmpty()) {
            syllables.add(syllable);
          }
          syllable = new ArrayList<>();
          if (c == 'ˈ' || c == '\'') {
            syllable.add("'");
          }
          i++;
          continue;
        }
        String match = longest(word, i, MARY);
        if (match == null) {
          return unmapped(
              word.substring(i, i + Character.charCount(word.codePointAt(i))), "MaryTTS");
        }
        if (!MARY.get(match).isEmpty()) {
          syllable.add(MARY.get(match));
        }
        i += match.length();
      }
      if (!syllable.isEmpty()) {
        syllables.add(syllable);
      }
      syllables = syllables.stream().flatMap(s -> splitSyllables(s).stream()).toList();
      List<String> said = new ArrayList<>();
      for (List<String> s : syllables) {
        boolean stressed = s.getFirst().equals("'");
        said.add((stressed ? "' " : "") + String.join(" ", stressed ? s.subList(1, s.size()) : s));
      }
      words.add(String.join(" - ", said));
    }
    return new Mapped(String.join(" | ", words), null);
  }

  private static final java.util.Set<String> MARY_VOWELS =
      java.util.Set.of(
          "A", "O", "u", "i", "{", "V", "E", "I", "U", "@", "r=", "aU", "OI", "@U", "EI", "AI");

  /**
   * IPA often marks only stressed syllables; the rest are split before a consonant that starts the
   * next vowel's syllable (one consonant of onset), or between two vowels.
   */
  private static List<List<String>> splitSyllables(List<String> phones) {
    List<List<String>> out = new ArrayList<>();
    List<String> current = new ArrayList<>();
    boolean hasVowel = false;
    for (int i = 0; i < phones.size(); i++) {
      String phone = phones.get(i);
      boolean vowel = MARY_VOWELS.contains(phone);
      boolean nextVowel = i + 1 < phones.size() && MARY_VOWELS.contains(phones.get(i + 1));
      if (hasVowel && (vowel || nextVowel)) {
        out.add(current);
        current = new ArrayList<>();
        hasVowel = false;
      }
      current.add(phone);
      hasVowel |= vowel;
    }
    if (!current.isEmpty()) {
      if (!hasVowel && !out.isEmpty()) {
        out.getLast().addAll(current);
      } else {
        out.add(current);
      }
    }
    return out;
  }

  private static Optional<String> tokenize(
      String ipa, Map<String, String> table, List<String> out) {
    String text = ipa.strip().replace('\'', 'ˈ');
    int i = 0;
    while (i < text.length()) {
      String match = longest(text, i, table);
      if (match == null) {
        return Optional.of(text.substring(i, i + Character.charCount(text.codePointAt(i))));
      }
      out.add(table.get(match));
      i += match.length();
    }
    return Optional.empty();
  }

  private static String longest(String text, int at, Map<String, String> table) {
    for (int length = 2; length >= 1; length--) {
      if (at + length <= text.length() && table.containsKey(text.substring(at, at + length))) {
        return text.substring(at, at + length);
      }
    }
    return null;
  }

  private static Mapped unmapped(String symbol, String engine) {
    return new Mapped(
        null, "the IPA symbol '" + symbol + "' has no " + engine + " phoneme; the text is spoken");
  }
}
