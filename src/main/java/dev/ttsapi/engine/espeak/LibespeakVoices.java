package dev.ttsapi.engine.espeak;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.ttsapi.engine.Gender;
import dev.ttsapi.engine.Voice;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The voices as libespeak-ng lists them ({@code espeak_ListVoices(NULL)}), made into the same list
 * {@link EspeakEngine#parseVoices} makes of {@code espeak-ng --voices}, which prints that very
 * list: each voice under its first language, a language listed twice keeping its first voice.
 */
final class LibespeakVoices {

  /**
   * espeak_VOICE: name, languages, identifier (pointers), then gender, age, variant, xx1 (bytes).
   */
  private static final int LANGUAGES = Native.POINTER_SIZE;

  private static final int GENDER = 3 * Native.POINTER_SIZE;

  private LibespeakVoices() {}

  /**
   * @param voices the voices, as the engine lists them
   * @param files each voice's file, as espeak-ng names it ({@code gmw/en-US})
   */
  record Listing(List<Voice> voices, Map<String, String> files) {}

  /** espeak_VOICE.identifier: the voice's file under {@code lang/} or {@code voices/}. */
  private static final int IDENTIFIER = 2 * Native.POINTER_SIZE;

  static Listing list(Libespeak espeak) {
    Pointer voices =
        espeak.library().getFunction("espeak_ListVoices").invokePointer(new Object[] {null});
    Map<String, Voice> byLanguage = new LinkedHashMap<>();
    Map<String, String> files = new HashMap<>();
    for (int i = 0; voices != null; i++) {
      Pointer voice = voices.getPointer((long) i * Native.POINTER_SIZE);
      if (voice == null) {
        break;
      }
      Pointer languages = voice.getPointer(LANGUAGES);
      // languages: a priority byte, then a NUL-terminated name, repeated; the first is the voice's
      if (languages == null || languages.getByte(0) == 0) {
        continue;
      }
      String language = languages.getString(1, StandardCharsets.UTF_8.name());
      Gender gender =
          switch (voice.getByte(GENDER)) {
            case 1 -> Gender.MALE;
            case 2 -> Gender.FEMALE;
            default -> Gender.NEUTRAL;
          };
      Pointer identifier = voice.getPointer(IDENTIFIER);
      if (identifier != null && !byLanguage.containsKey(language)) {
        files.put(language, identifier.getString(0, StandardCharsets.UTF_8.name()));
      }
      byLanguage.putIfAbsent(
          language,
          Voice.of(
              EspeakEngine.ID,
              language,
              EspeakEngine.languageTag(language),
              gender,
              EspeakEngine.SAMPLE_RATE));
    }
    return new Listing(List.copyOf(byLanguage.values()), Map.copyOf(files));
  }
}
