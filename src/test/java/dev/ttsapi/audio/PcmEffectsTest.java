package dev.ttsapi.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PcmEffectsTest {

  private final Pcm voice = PcmAnalysis.syntheticVoice(2.0, 22050, 150);

  @Test
  void normal_settings_return_the_same_audio() {
    assertThat(PcmEffects.apply(voice, 1.0, 0)).isSameAs(voice);
  }

  @Test
  void speed_two_halves_duration_and_keeps_pitch() {
    Pcm fast = PcmEffects.apply(voice, 2.0, 0);

    assertThat(fast.durationSeconds()).isCloseTo(1.0, within(0.02));
    assertThat(PcmAnalysis.medianF0(fast)).isCloseTo(150, within(8.0));
  }

  @Test
  void speed_half_doubles_duration() {
    assertThat(PcmEffects.apply(voice, 0.5, 0).durationSeconds()).isCloseTo(4.0, within(0.02));
  }

  @Test
  void pitch_up_six_semitones_raises_f0_and_keeps_duration() {
    Pcm higher = PcmEffects.apply(voice, 1.0, 6);

    assertThat(higher.durationSeconds()).isCloseTo(2.0, within(0.03));
    assertThat(PcmAnalysis.medianF0(higher)).isCloseTo(150 * Math.pow(2, 0.5), within(10.0));
  }

  @Test
  void pitch_down_twelve_semitones_halves_f0() {
    Pcm lower = PcmEffects.apply(voice, 1.0, -12);

    assertThat(PcmAnalysis.medianF0(lower)).isCloseTo(75, within(6.0));
  }

  @Test
  void speed_and_pitch_combine() {
    Pcm both = PcmEffects.apply(voice, 1.5, 4);

    assertThat(both.durationSeconds()).isCloseTo(2.0 / 1.5, within(0.03));
    assertThat(PcmAnalysis.medianF0(both)).isCloseTo(150 * Math.pow(2, 4 / 12.0), within(10.0));
  }

  @Test
  void keeps_loudness_roughly() {
    double before = PcmAnalysis.rms(voice);

    assertThat(PcmAnalysis.rms(PcmEffects.apply(voice, 1.7, 0)))
        .isBetween(0.7 * before, 1.3 * before);
  }
}
