package dev.ttsapi.engine.gemini;

import dev.ttsapi.engine.Gender;
import dev.ttsapi.engine.Voice;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gemini TTS's 30 prebuilt voices. Genders are those Google gives the same voices in Cloud TTS
 * (Chirp 3 HD), where they carry these names too.
 */
final class GeminiVoices {

  static final int SAMPLE_RATE = 24_000;

  private static final Map<String, Gender> PREBUILT = new LinkedHashMap<>();

  static {
    female("Achernar", "Aoede", "Autonoe", "Callirrhoe", "Despina", "Erinome", "Gacrux", "Kore");
    female("Laomedeia", "Leda", "Pulcherrima", "Sulafat", "Vindemiatrix", "Zephyr");
    male("Achird", "Algenib", "Algieba", "Alnilam", "Charon", "Enceladus", "Fenrir", "Iapetus");
    male("Orus", "Puck", "Rasalgethi", "Sadachbia", "Sadaltager", "Schedar", "Umbriel");
    male("Zubenelgenubi");
  }

  private GeminiVoices() {}

  static List<Voice> all(String language) {
    return PREBUILT.entrySet().stream()
        .map(e -> Voice.of(GeminiEngine.ID, e.getKey(), language, e.getValue(), SAMPLE_RATE))
        .toList();
  }

  private static void female(String... names) {
    for (String name : names) {
      PREBUILT.put(name, Gender.FEMALE);
    }
  }

  private static void male(String... names) {
    for (String name : names) {
      PREBUILT.put(name, Gender.MALE);
    }
  }
}
