package dev.ttsapi.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Chunks faded at their edges meet without a jump, and keep their length. */
class JoinsTest {

  private static final int RATE = 22050;

  @Test
  void two_chunks_cut_mid_waveform_meet_without_a_jump_once_faded() {
    // a 220 Hz tone at -6 dBFS that stops near a zero crossing, and another starting at its peak:
    // laid end to end as they are, the join is a step of half full scale, a click
    Pcm first = sine(RATE / 2, 0.0);
    Pcm second = sine(RATE / 2, Math.PI / 2);
    assertThat(jump(first, second)).isGreaterThan(15_000);

    Pcm a = Joins.fadeEdges(first);
    Pcm b = Joins.fadeEdges(second);

    assertThat(jump(a, b)).isLessThan(50);
    assertThat(a.sampleCount()).isEqualTo(first.sampleCount());
    assertThat(b.sampleCount()).isEqualTo(second.sampleCount());
    assertThat(a.sampleRate()).isEqualTo(RATE);
  }

  @Test
  void only_the_first_and_last_five_milliseconds_change() {
    Pcm tone = sine(RATE, 0.3);
    Pcm faded = Joins.fadeEdges(tone);
    int ramp = (int) Math.round(Joins.FADE_MS * RATE / 1000);

    short[] before = PcmAnalysis.samples(tone);
    short[] after = PcmAnalysis.samples(faded);
    for (int i = ramp; i < before.length - ramp; i++) {
      assertThat(after[i]).as("sample %d", i).isEqualTo(before[i]);
    }
    // the ramps rise steadily in magnitude towards the untouched middle
    assertThat(Math.abs(after[0])).isLessThanOrEqualTo((short) Math.abs(before[0] / 100 + 1));
    assertThat(Math.abs(after[before.length - 1]))
        .isLessThanOrEqualTo((short) Math.abs(before[before.length - 1] / 100 + 1));
  }

  @Test
  void a_chunk_shorter_than_two_ramps_and_an_empty_one_are_handled() {
    Pcm tiny = sine(10, 1.0);
    assertThat(Joins.fadeEdges(tiny).sampleCount()).isEqualTo(10);
    Pcm empty = new Pcm(new byte[0], RATE);
    assertThat(Joins.fadeEdges(empty).sampleCount()).isZero();
  }

  private static int jump(Pcm left, Pcm right) {
    short[] l = PcmAnalysis.samples(left);
    short[] r = PcmAnalysis.samples(right);
    return Math.abs(r[0] - l[l.length - 1]);
  }

  private static Pcm sine(int samples, double phase) {
    ByteBuffer b = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < samples; i++) {
      b.putShort((short) Math.round(16_384 * Math.sin(phase + 2 * Math.PI * 220 * i / RATE)));
    }
    return new Pcm(b.array(), RATE);
  }
}
