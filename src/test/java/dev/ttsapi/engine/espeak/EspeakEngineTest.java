package dev.ttsapi.engine.espeak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.audio.PcmAnalysis;
import dev.ttsapi.engine.Gender;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.SynthesisException;
import dev.ttsapi.engine.Voice;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs against the real espeak-ng; skipped where it is not installed (CI installs it). */
class EspeakEngineTest {

  private static final String TEXT = "Hello world, this is a test.";

  private static EspeakEngine espeak;

  @BeforeAll
  static void detect() {
    Optional<EspeakEngine> found = EspeakEngine.detect();
    Assumptions.assumeTrue(found.isPresent(), "espeak-ng is not installed");
    espeak = found.get();
  }

  @Test
  void lists_voices_by_language_with_bcp47_tags() {
    assertThat(espeak.id()).isEqualTo("espeak");
    assertThat(espeak.version()).startsWith("espeak-ng-1.");
    assertThat(espeak.voices())
        .contains(
            Voice.of("espeak", "vi", "vi", Gender.MALE, 22050),
            Voice.of("espeak", "en-us", "en-US", Gender.MALE, 22050),
            Voice.of("espeak", "en-gb", "en-GB", Gender.MALE, 22050));
    assertThat(espeak.voices()).hasSizeGreaterThan(50);
  }

  @Test
  void phonemes_are_spoken_as_espeak_spells_the_word_and_client_text_never_as_phonemes() {
    // What espeak-ng itself reads "tomato" as (espeak-ng -x), given with other words beside it.
    Pcm word = espeak.synthesize("tomato", voice("en-us"), SpeechSettings.NORMAL);
    Pcm phonemes =
        espeak.synthesizePhonemes("t@m'eIt#oU", "xyzzy", voice("en-us"), SpeechSettings.NORMAL);
    Pcm fallback = espeak.synthesize("xyzzy", voice("en-us"), SpeechSettings.NORMAL);

    assertThat(phonemes.samples()).isEqualTo(word.samples());
    assertThat(fallback.samples()).isNotEqualTo(word.samples());
    assertThat(espeak.synthesize("[[t@m'eIt#oU]]", voice("en-us"), SpeechSettings.NORMAL).samples())
        .as("brackets in a client's text stay text")
        .isNotEqualTo(word.samples());
  }

  @Test
  void speaks_vietnamese() {
    Pcm pcm = espeak.synthesize("Xin chào", voice("vi"), SpeechSettings.NORMAL);

    assertThat(pcm.sampleRate()).isEqualTo(22050);
    assertThat(pcm.durationSeconds()).isBetween(0.3, 3.0);
    assertThat(PcmAnalysis.peak(pcm)).isGreaterThan((short) 3000);
  }

  @Test
  void speeds_beyond_espeaks_range_still_change_duration() {
    Pcm max = espeak.synthesize(TEXT, voice("en-us"), new SpeechSettings(450 / 175.0, 0));
    Pcm faster = espeak.synthesize(TEXT, voice("en-us"), new SpeechSettings(4.0, 0));

    assertThat(faster.durationSeconds())
        .isCloseTo(max.durationSeconds() * (450 / 175.0) / 4.0, within(0.05));
  }

  @Test
  void pitch_up_six_semitones_raises_the_fundamental() {
    Pcm normal = espeak.synthesize(TEXT, voice("en-us"), SpeechSettings.NORMAL);
    Pcm higher = espeak.synthesize(TEXT, voice("en-us"), new SpeechSettings(1.0, 6));

    double before = PcmAnalysis.medianF0(normal);
    double after = PcmAnalysis.medianF0(higher);
    assertThat(after / before).isCloseTo(Math.pow(2, 6 / 12.0), within(0.12));
  }

  @Test
  void pitch_beyond_espeaks_range_is_shifted_further_on_the_pcm() {
    Pcm normal = espeak.synthesize(TEXT, voice("en-us"), SpeechSettings.NORMAL);
    Pcm octaveUp = espeak.synthesize(TEXT, voice("en-us"), new SpeechSettings(1.0, 12));

    assertThat(PcmAnalysis.medianF0(octaveUp) / PcmAnalysis.medianF0(normal))
        .isCloseTo(2.0, within(0.2));
  }

  @Test
  void text_goes_in_on_stdin_never_as_options() {
    Pcm pcm =
        espeak.synthesize("--version -w /tmp/x [[h@l'oU]]", voice("en-us"), SpeechSettings.NORMAL);

    assertThat(pcm.durationSeconds()).isGreaterThan(0.5);
  }

  @Test
  void a_call_past_its_timeout_is_killed() {
    EspeakEngine impatient =
        new EspeakEngine(EspeakEngine.findOnPath().orElseThrow(), Duration.ofMillis(50));
    String longText = "This sentence is rather long and keeps going. ".repeat(400);

    assertThatThrownBy(() -> impatient.synthesize(longText, voice("en-us"), SpeechSettings.NORMAL))
        .isInstanceOf(SynthesisException.class)
        .hasMessageContaining("longer than");
  }

  private static Voice voice(String name) {
    return espeak.voices().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
  }
}
