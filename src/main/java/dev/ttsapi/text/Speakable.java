package dev.ttsapi.text;

import java.lang.Character.UnicodeScript;
import java.util.EnumSet;
import java.util.Set;

/**
 * Whether a text holds anything a voice can say: a letter or a number. A text of only punctuation,
 * symbols and emoji holds none, and is refused for every voice, even where an engine would read out
 * a symbol's name (measured: MaryTTS says "dollar" for $ but nothing for ★, … or emoji; espeak-ng
 * says "grinning" for 😀): what the client wrote would not be spoken either way. Whether the
 * letters are of a script the voice reads is for the voice to say ({@code Voice.scripts}); this
 * class only reads the text.
 */
public final class Speakable {

  private Speakable() {}

  /** True if {@code text} holds a letter of any script or a number. */
  public static boolean hasWords(String text) {
    return hasWords(text, Set.of());
  }

  /**
   * True if {@code text} holds a letter or number of one of {@code scripts}, or of any script when
   * {@code scripts} is empty. Numbers written with the common digits (0 to 9, ½, ²) count for every
   * script: engines read them in the voice's language.
   */
  public static boolean hasWords(String text, Set<UnicodeScript> scripts) {
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (isWordCharacter(c)) {
        UnicodeScript script = UnicodeScript.of(c);
        if (scripts.isEmpty() || scripts.contains(script) || script == UnicodeScript.COMMON) {
          return true;
        }
      }
    }
    return false;
  }

  /** The scripts of the letters and numbers in {@code text}: what to tell a client it sent. */
  public static Set<UnicodeScript> scriptsOf(String text) {
    Set<UnicodeScript> scripts = EnumSet.noneOf(UnicodeScript.class);
    text.codePoints()
        .filter(Speakable::isWordCharacter)
        .forEach(c -> scripts.add(UnicodeScript.of(c)));
    return scripts;
  }

  private static boolean isWordCharacter(int c) {
    return switch (Character.getType(c)) {
      case Character.UPPERCASE_LETTER,
          Character.LOWERCASE_LETTER,
          Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER,
          Character.OTHER_LETTER,
          Character.DECIMAL_DIGIT_NUMBER,
          Character.LETTER_NUMBER,
          Character.OTHER_NUMBER ->
          true;
      default -> false;
    };
  }
}
