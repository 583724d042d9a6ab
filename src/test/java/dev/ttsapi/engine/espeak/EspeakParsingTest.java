package dev.ttsapi.engine.espeak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.engine.Gender;
import dev.ttsapi.engine.LanguageTags;
import dev.ttsapi.engine.Voice;
import org.junit.jupiter.api.Test;

/** The parts of the espeak-ng engine that need no binary. */
class EspeakParsingTest {

  private static final String TABLE =
      """
      Pty Language       Age/Gender VoiceName          File                 Other Languages
       5  af              --/M      Afrikaans          gmw/af
       2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)
       5  en-gb-x-rp      --/M      English_(Received_Pronunciation) gmw/en-GB-x-rp
       2  en-us           --/M      English_(America)  gmw/en-US            (en 3)
       5  vi              --/M      Vietnamese_(Northern) aav/vi
       5  xx              --/F      Test               x/xx
       5  vi              --/M      Duplicate          aav/vi
      """;

  @Test
  void parses_the_voices_table() {
    assertThat(EspeakEngine.parseVoices(TABLE))
        .containsExactly(
            Voice.of("espeak", "af", "af", Gender.MALE, 22050),
            Voice.of("espeak", "en-gb", "en-GB", Gender.MALE, 22050),
            Voice.of("espeak", "en-gb-x-rp", "en-GB-x-rp", Gender.MALE, 22050),
            Voice.of("espeak", "en-us", "en-US", Gender.MALE, 22050),
            Voice.of("espeak", "vi", "vi", Gender.MALE, 22050),
            Voice.of("espeak", "xx", "xx", Gender.FEMALE, 22050));
  }

  @Test
  void language_names_that_are_not_bcp47_become_well_formed_tags() {
    assertThat(EspeakEngine.languageTag("en-us-nyc")).isEqualTo("en-US-x-nyc");
    assertThat(EspeakEngine.languageTag("chr-US-Qaaa-x-west")).isEqualTo("chr-US-x-qaaa-west");
    assertThat(EspeakEngine.languageTag("en-gb-x-rp")).isEqualTo("en-GB-x-rp");
    assertThat(EspeakEngine.languageTag("cmn-latn-pinyin")).isEqualTo("cmn-Latn-pinyin");
    assertThat(LanguageTags.isWellFormed(EspeakEngine.languageTag("en-us-nyc"))).isTrue();
    assertThat(LanguageTags.isWellFormed(EspeakEngine.languageTag("chr-US-Qaaa-x-west"))).isTrue();
  }

  @Test
  void parses_the_version() {
    assertThat(EspeakEngine.parseVersion("eSpeak NG text-to-speech: 1.51  Data at: /usr/lib"))
        .isEqualTo("espeak-ng-1.51");
  }

  @Test
  void maps_speed_to_words_per_minute_within_espeaks_range() {
    assertThat(EspeakEngine.wordsPerMinute(1.0)).isEqualTo(175);
    assertThat(EspeakEngine.wordsPerMinute(2.0)).isEqualTo(350);
    assertThat(EspeakEngine.wordsPerMinute(0.25)).isEqualTo(80);
    assertThat(EspeakEngine.wordsPerMinute(4.0)).isEqualTo(450);
  }

  @Test
  void maps_semitones_to_espeak_pitch() {
    assertThat(EspeakEngine.pitch(0)).isEqualTo(50);
    assertThat(EspeakEngine.pitch(4.2)).isEqualTo(75);
    assertThat(EspeakEngine.pitch(6)).isBetween(84, 86);
    assertThat(EspeakEngine.pitch(20)).isEqualTo(99);
    assertThat(EspeakEngine.pitch(-20)).isEqualTo(0);
    for (int p = 0; p <= 99; p++) {
      assertThat(EspeakEngine.pitch(EspeakEngine.semitonesOf(p))).isEqualTo(p);
    }
  }

  @Test
  void phoneme_brackets_are_defused() {
    assertThat(EspeakEngine.withoutPhonemeInput("say [[h@l'oU]]")).isEqualTo("say [ [h@l'oU]]");
  }
}
