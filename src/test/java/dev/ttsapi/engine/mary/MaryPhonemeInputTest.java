package dev.ttsapi.engine.mary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.engine.PhonemeMarkup;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.Voice;
import org.junit.jupiter.api.Test;

/** A lexicon's pronunciation reaches MaryTTS as a token with its transcription. */
class MaryPhonemeInputTest {

  private static final String LONG_WORD =
      "' s u - p r= - k { - l @ - f r { - dZ @ - l I - s t I k - E k - s p i - ' A - l @ - d @U - S"
          + " @ s";

  @Test
  void speaks_the_transcription_instead_of_the_word() {
    MaryEngine mary = SharedMaryEngine.get();
    Voice slt = mary.voices().getFirst();
    Pcm plain = mary.synthesize("I said bob.", slt, SpeechSettings.NORMAL);
    Pcm spoken =
        mary.synthesize(
            "I said " + PhonemeMarkup.wrap(LONG_WORD) + ".", slt, SpeechSettings.NORMAL);

    // fourteen syllables instead of one
    assertThat(spoken.durationSeconds()).isGreaterThan(plain.durationSeconds() + 1.0);
  }

  @Test
  void words_around_a_transcription_are_escaped_as_xml() {
    String xml =
        MaryEngine.maryXml("a < b & \"c\" " + PhonemeMarkup.wrap("t @"), java.util.Locale.US);
    assertThat(xml)
        .contains("<p>a &lt; b &amp; &quot;c&quot;  <t ph=\"t @\">word</t> </p>")
        .doesNotContain("\u0001");
  }
}
