package dev.ttsapi.lexicon;

import dev.ttsapi.engine.PhonemeMarkup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * IPA written in the alphabets of the engines that take phonemes, for the sounds of English (and
 * the plain consonants and vowels most languages share). A phoneme with a symbol outside the table
 * is not converted at all (the rule falls back to its alias, or is reported as dropped): half a
 * pronunciation would be worse than the engine's own guess.
 */
final class IpaConversion {

  private IpaConversion() {}

  private enum Kind {
    VOWEL,
    CONSONANT,
    PRIMARY,
    SECONDARY,
    SYLLABLE,
    SPACE
  }

  /** One IPA unit: its espeak-ng mnemonic and its MaryTTS (en_US, SAMPA) allophone. */
  private record Unit(String ipa, Kind kind, String espeak, String mary) {}

  // Longest symbols first: "eɪ" before "e", "tʃ" before "t".
  private static final List<Unit> UNITS =
      List.of(
          v("eɪ", "eI", "EI"),
          v("aɪ", "aI", "aI"),
          v("aʊ", "aU", "aU"),
          v("ɔɪ", "OI", "OI"),
          v("oʊ", "oU", "@U"),
          v("əʊ", "oU", "@U"),
          v("ɪə", "i@", "I"),
          v("eə", "e@", "E"),
          v("ʊə", "U@", "U"),
          v("iː", "i:", "i"),
          v("uː", "u:", "u"),
          v("ɑː", "A:", "A"),
          v("ɔː", "O:", "O"),
          v("ɜː", "3:", "r="),
          v("ɝ", "3:", "r="),
          v("ɚ", "3", "r="),
          v("ə", "@", "@"),
          v("æ", "a", "{"),
          v("ɑ", "A:", "A"),
          v("ɒ", "0", "A"),
          v("ɔ", "O:", "O"),
          v("ɛ", "E", "E"),
          v("e", "e", "EI"),
          v("ɪ", "I", "I"),
          v("i", "i", "i"),
          v("ʊ", "U", "U"),
          v("u", "u:", "u"),
          v("ʌ", "V", "V"),
          v("a", "a", "A"),
          v("o", "o", "@U"),
          c("tʃ", "tS", "tS"),
          c("dʒ", "dZ", "dZ"),
          c("p", "p", "p"),
          c("b", "b", "b"),
          c("t", "t", "t"),
          c("d", "d", "d"),
          c("k", "k", "k"),
          c("g", "g", "g"),
          c("ɡ", "g", "g"),
          c("f", "f", "f"),
          c("v", "v", "v"),
          c("θ", "T", "T"),
          c("ð", "D", "D"),
          c("s", "s", "s"),
          c("z", "z", "z"),
          c("ʃ", "S", "S"),
          c("ʒ", "Z", "Z"),
          c("h", "h", "h"),
          c("m", "m", "m"),
          c("n", "n", "n"),
          c("ŋ", "N", "N"),
          c("l", "l", "l"),
          c("ɫ", "l", "l"),
          c("r", "r", "r"),
          c("ɹ", "r", "r"),
          c("ɾ", "t", "t"),
          c("j", "j", "j"),
          c("w", "w", "w"),
          new Unit("ˈ", Kind.PRIMARY, "'", "'"),
          new Unit("'", Kind.PRIMARY, "'", "'"),
          new Unit("ˌ", Kind.SECONDARY, ",", ","),
          new Unit(".", Kind.SYLLABLE, "", ""),
          new Unit(" ", Kind.SPACE, " ", ""));

  /** Length marks are folded into the vowels above; a lone one after another vowel is ignored. */
  private static final Map<Character, String> IGNORED = Map.of('ː', "", 'ˑ', "");

  private static Unit v(String ipa, String espeak, String mary) {
    return new Unit(ipa, Kind.VOWEL, espeak, mary);
  }

  private static Unit c(String ipa, String espeak, String mary) {
    return new Unit(ipa, Kind.CONSONANT, espeak, mary);
  }

  /** IPA as espeak-ng phoneme mnemonics, ready to go in a span ({@link PhonemeMarkup}). */
  static Optional<String> toEspeak(String ipa) {
    return units(ipa)
        .map(
            units -> {
              StringBuilder out = new StringBuilder();
              units.forEach(u -> out.append(u.espeak()));
              return PhonemeMarkup.wrap(out.toString().strip());
            });
  }

  /**
   * IPA as a MaryTTS transcription: allophones separated by spaces, syllables by {@code -}, a
   * stress mark at the start of its syllable ({@code t @ - ' m EI - t @U}). One word only: a
   * pronunciation with a space is not converted. Syllables end where the IPA marks them (a stress
   * mark or a dot), else before the consonant that precedes each vowel after the first.
   */
  static Optional<String> toMary(String ipa) {
    Optional<List<Unit>> parsed = units(ipa);
    if (parsed.isEmpty() || parsed.get().stream().anyMatch(u -> u.kind() == Kind.SPACE)) {
      return Optional.empty();
    }
    List<List<String>> syllables = new ArrayList<>();
    List<String> current = new ArrayList<>();
    boolean hasVowel = false;
    String pendingStress = "";
    List<Unit> units = parsed.get();
    for (int i = 0; i < units.size(); i++) {
      Unit u = units.get(i);
      switch (u.kind()) {
        case PRIMARY, SECONDARY, SYLLABLE -> {
          if (hasVowel) {
            syllables.add(current);
            current = new ArrayList<>();
            hasVowel = false;
          }
          if (u.kind() != Kind.SYLLABLE) {
            pendingStress = u.mary();
          }
        }
        case CONSONANT -> {
          boolean beforeVowel =
              i + 1 < units.size() && units.get(i + 1).kind() == Kind.VOWEL && hasVowel;
          if (beforeVowel) {
            syllables.add(current);
            current = new ArrayList<>();
            hasVowel = false;
          }
          current.add(u.mary());
        }
        case VOWEL -> {
          if (hasVowel) {
            syllables.add(current);
            current = new ArrayList<>();
          }
          hasVowel = true;
          current.add(u.mary());
        }
        case SPACE -> throw new IllegalStateException("refused above");
      }
      if (!pendingStress.isEmpty() && u.kind() != Kind.PRIMARY && u.kind() != Kind.SECONDARY) {
        current.addFirst(pendingStress);
        pendingStress = "";
      }
    }
    if (!current.isEmpty()) {
      if (!hasVowel && !syllables.isEmpty()) {
        syllables.getLast().addAll(current); // trailing consonants close the last syllable
      } else {
        syllables.add(current);
      }
    }
    if (syllables.stream().noneMatch(s -> s.stream().anyMatch(IpaConversion::isMaryVowel))) {
      return Optional.empty();
    }
    List<String> written = syllables.stream().map(s -> String.join(" ", s)).toList();
    return Optional.of(PhonemeMarkup.wrap(String.join(" - ", written)));
  }

  private static boolean isMaryVowel(String allophone) {
    return UNITS.stream().anyMatch(u -> u.kind() == Kind.VOWEL && u.mary().equals(allophone));
  }

  /** The IPA cut into known units, or empty if any symbol is not in the table. */
  private static Optional<List<Unit>> units(String ipa) {
    List<Unit> out = new ArrayList<>();
    int i = 0;
    outer:
    while (i < ipa.length()) {
      if (IGNORED.containsKey(ipa.charAt(i))) {
        i++;
        continue;
      }
      for (Unit u : UNITS) {
        if (ipa.startsWith(u.ipa(), i)) {
          out.add(u);
          i += u.ipa().length();
          continue outer;
        }
      }
      return Optional.empty();
    }
    return out.stream().anyMatch(u -> u.kind() == Kind.VOWEL) ? Optional.of(out) : Optional.empty();
  }
}
