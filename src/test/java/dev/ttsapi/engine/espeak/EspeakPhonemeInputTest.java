package dev.ttsapi.engine.espeak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.engine.PhonemeMarkup;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.Voice;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A lexicon's pronunciation reaches espeak-ng as its phoneme input; a client's cannot. */
class EspeakPhonemeInputTest {

  private static final String LONG_WORD = "su:p3kalIfradZIlIstIkEkspi:'A:lIdoUS@s";

  @Test
  void only_lexicon_spans_become_phoneme_input() {
    assertThat(EspeakEngine.input("say [[x]] " + PhonemeMarkup.wrap("h@'loU w3:ld") + "."))
        .isEqualTo("say [ [x]] [[h@'loU w3:ld]].");
    assertThat(EspeakEngine.input("[" + PhonemeMarkup.wrap("a"))).isEqualTo("[ [[a]]");
  }

  @Test
  void speaks_the_phonemes_instead_of_the_word() {
    Optional<EspeakEngine> found = EspeakEngine.detect();
    Assumptions.assumeTrue(found.isPresent(), "espeak-ng is not installed");
    EspeakEngine espeak = found.get();
    Voice voice =
        espeak.voices().stream().filter(v -> v.name().equals("en-us")).findFirst().orElseThrow();
    Pcm plain = espeak.synthesize("I said bob.", voice, SpeechSettings.NORMAL);
    Pcm spoken =
        espeak.synthesize(
            "I said " + PhonemeMarkup.wrap(LONG_WORD) + ".", voice, SpeechSettings.NORMAL);
    Pcm written = espeak.synthesize("I said [[" + LONG_WORD + "]].", voice, SpeechSettings.NORMAL);

    assertThat(spoken.durationSeconds()).isGreaterThan(plain.durationSeconds() + 1.0);
    // the same characters typed by a client are read as punctuation and letters, not phonemes
    assertThat(Math.abs(written.durationSeconds() - spoken.durationSeconds())).isGreaterThan(0.3);
  }
}
