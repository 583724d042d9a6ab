package dev.ttsapi.speech;

import dev.ttsapi.engine.LanguageTags;
import dev.ttsapi.web.Problem;
import dev.ttsapi.web.ProblemType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks a MaryTTS {@code /process} request the way MaryTTS 5.2's {@code SynthesisRequestHandler}
 * does (the same required parameters, {@code AUDIO} read without its {@code _FILE}/{@code _STREAM}
 * suffix, {@code VOICE=male|female} as "the locale's voice of that gender"), and refuses, with a
 * problem naming the parameter, what this service cannot do: input other than plain text, output
 * other than audio.
 */
final class MaryRequests {

  private MaryRequests() {}

  /** MaryTTS's synthesis parameters; the others it takes (STYLE, effects…) are ignored. */
  record Parameters(
      String inputText,
      String inputType,
      String outputType,
      String locale,
      String audio,
      String voice) {}

  /**
   * @param language the BCP 47 tag of {@code LOCALE}
   * @param voice a voice id or name, {@code male}/{@code female}, or null for the locale's best
   */
  record Checked(MaryAudioType audio, String language, String voice) {}

  static Checked check(Parameters p) {
    List<String> missing = new ArrayList<>();
    if (p.inputText() == null) {
      missing.add("INPUT_TEXT");
    }
    if (p.inputType() == null) {
      missing.add("INPUT_TYPE");
    }
    if (p.outputType() == null) {
      missing.add("OUTPUT_TYPE");
    }
    if (p.locale() == null) {
      missing.add("LOCALE");
    }
    if (!missing.isEmpty()) {
      throw invalid(
          missing.getFirst(),
          "Missing parameter "
              + String.join(", ", missing)
              + "; /process needs INPUT_TEXT, INPUT_TYPE, OUTPUT_TYPE and LOCALE");
    }
    String inputType = p.inputType().strip().toUpperCase(Locale.ROOT);
    if (inputType.equals("SSML")) {
      throw invalid(
          "INPUT_TYPE",
          "INPUT_TYPE=SSML is not supported by this service's MaryTTS endpoint; send plain text"
              + " with INPUT_TYPE=TEXT");
    }
    if (!inputType.equals("TEXT")) {
      throw invalid("INPUT_TYPE", "INPUT_TYPE must be TEXT (plain text)");
    }
    if (!p.outputType().strip().equalsIgnoreCase("AUDIO")) {
      throw invalid(
          "OUTPUT_TYPE",
          "OUTPUT_TYPE must be AUDIO: this service makes audio only, not MaryTTS's intermediate"
              + " data (phonemes, acoustic parameters…)");
    }
    if (p.audio() == null) {
      throw invalid("AUDIO", "AUDIO is required when OUTPUT_TYPE=AUDIO, e.g. WAVE_FILE");
    }
    MaryAudioType audio =
        MaryAudioType.parse(p.audio())
            .orElseThrow(
                () ->
                    invalid(
                        "AUDIO",
                        "AUDIO="
                            + clip(p.audio())
                            + " is not supported; use one of "
                            + MaryAudioType.names()));
    String language = bcp47(p.locale());
    if (!LanguageTags.isWellFormed(language)) {
      throw invalid("LOCALE", "LOCALE " + clip(p.locale()) + " is not a locale like en_US");
    }
    String voice = p.voice() == null || p.voice().isBlank() ? null : p.voice().strip();
    return new Checked(audio, language, voice);
  }

  /** MaryTTS's {@code en_US} as BCP 47's {@code en-US}. */
  static String bcp47(String maryLocale) {
    return maryLocale.strip().replace('_', '-');
  }

  /** BCP 47's {@code en-US} as MaryTTS's (Java's) {@code en_US}. */
  static String maryLocale(String bcp47) {
    return Locale.forLanguageTag(bcp47).toString();
  }

  static Problem invalid(String parameter, String message) {
    return new Problem(ProblemType.INVALID_REQUEST, message).with("param", parameter);
  }

  private static String clip(String s) {
    return s.length() > 40 ? "'" + s.substring(0, 40) + "…'" : "'" + s + "'";
  }
}
