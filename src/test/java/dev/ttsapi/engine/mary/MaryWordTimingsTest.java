package dev.ttsapi.engine.mary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.TimedPcm;
import dev.ttsapi.engine.Voice;
import dev.ttsapi.engine.WordTiming;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MaryTTS's word timings against its own audio: where the samples are silent between words, the
 * timings have a gap; where a word is said, the samples are voiced.
 */
class MaryWordTimingsTest {

  private static final String TEXT =
      "Hello, world. Timings are measured here, word by word; then we stop.";

  private static final SpeechSettings NORMAL = new SpeechSettings(1.0, 0);

  /**
   * About -36 dBFS: above the vocoder's noise in a pause (up to about -48 dBFS), below the words
   * except the soft edges of some (the fading end of "Hello", the /ð/ of "then"), which is what
   * {@link #EDGE_MS} allows for.
   */
  static final int QUIET = 500;

  /** How far a word's soft edge may reach into a pause the samples show. */
  static final int EDGE_MS = 120;

  private static MaryEngine mary;
  private static Voice slt;

  @BeforeAll
  static void start() {
    mary = SharedMaryEngine.get();
    slt = mary.voices().stream().filter(v -> v.name().equals("cmu-slt-hsmm")).findFirst().get();
  }

  @Test
  void every_word_is_measured_at_its_characters() {
    TimedPcm timed = mary.synthesizeTimed(TEXT, slt, NORMAL);

    List<String> words =
        timed.words().stream().map(w -> TEXT.substring(w.charStart(), w.charEnd())).toList();
    assertThat(words)
        .containsExactly(
            "Hello",
            "world",
            "Timings",
            "are",
            "measured",
            "here",
            "word",
            "by",
            "word",
            "then",
            "we",
            "stop");
    for (int i = 1; i < timed.words().size(); i++) {
      assertThat(timed.words().get(i).startSample())
          .as("in the order they are said")
          .isGreaterThanOrEqualTo(timed.words().get(i - 1).endSample());
    }
    assertThat(timed.words().getLast().endSample()).isLessThanOrEqualTo(timed.pcm().sampleCount());
  }

  @Test
  void the_audio_is_what_synthesize_makes() {
    TimedPcm timed = mary.synthesizeTimed(TEXT, slt, NORMAL);
    Pcm plain = mary.synthesize(TEXT, slt, NORMAL);

    assertThat(timed.pcm().sampleCount()).isEqualTo(plain.sampleCount());
  }

  @Test
  void silences_in_the_audio_fall_between_the_words() {
    TimedPcm timed = mary.synthesizeTimed(TEXT, slt, NORMAL);
    Pcm pcm = timed.pcm();
    int rate = pcm.sampleRate();
    List<int[]> pauses = pausesInside(pcm, rate * 150 / 1000);

    assertThat(pauses).as("the commas and full stops are heard as pauses").hasSizeGreaterThan(2);
    for (int[] pause : pauses) {
      int middle = (pause[0] + pause[1]) / 2;
      for (WordTiming w : timed.words()) {
        String word = TEXT.substring(w.charStart(), w.charEnd());
        String where =
            String.format(
                "pause %d..%d ms against \"%s\" (%d..%d ms)",
                pause[0] * 1000L / rate,
                pause[1] * 1000L / rate,
                word,
                w.startSample() * 1000L / rate,
                w.endSample() * 1000L / rate);
        assertThat(middle >= w.startSample() && middle < w.endSample())
            .as("the middle of a " + where)
            .isFalse();
        int overlap = Math.min(pause[1], w.endSample()) - Math.max(pause[0], w.startSample());
        assertThat(overlap).as(where).isLessThanOrEqualTo(rate * EDGE_MS / 1000);
      }
    }
    for (WordTiming w : timed.words()) {
      assertThat(voicedShare(pcm, w.startSample(), w.endSample()))
          .as("\"%s\" is heard where its timing says", TEXT.substring(w.charStart(), w.charEnd()))
          .isGreaterThan(0.5);
    }
  }

  @Test
  void a_faster_speed_moves_every_word_as_it_moves_the_audio() {
    TimedPcm normal = mary.synthesizeTimed(TEXT, slt, NORMAL);
    TimedPcm fast = mary.synthesizeTimed(TEXT, slt, new SpeechSettings(1.5, 0));
    double ratio = (double) fast.pcm().sampleCount() / normal.pcm().sampleCount();

    assertThat(ratio).isCloseTo(1 / 1.5, within(0.05));
    assertThat(fast.words()).hasSameSizeAs(normal.words());
    int rate = normal.pcm().sampleRate();
    for (int i = 0; i < normal.words().size(); i++) {
      assertThat((double) fast.words().get(i).startSample())
          .isCloseTo(normal.words().get(i).startSample() * ratio, within(rate * 0.02));
    }
  }

  /**
   * Runs of at least {@code min} samples in 10 ms frames all quieter than -40 dBFS, not at the
   * ends.
   */
  static List<int[]> pausesInside(Pcm pcm, int min) {
    int frame = pcm.sampleRate() / 100;
    int frames = pcm.sampleCount() / frame;
    boolean[] quiet = new boolean[frames];
    for (int f = 0; f < frames; f++) {
      quiet[f] = peak(pcm, f * frame, (f + 1) * frame) < QUIET;
    }
    int first = 0;
    while (first < frames && quiet[first]) {
      first++;
    }
    int last = frames - 1;
    while (last > first && quiet[last]) {
      last--;
    }
    List<int[]> pauses = new ArrayList<>();
    int f = first;
    while (f <= last) {
      if (!quiet[f]) {
        f++;
        continue;
      }
      int begin = f;
      while (f <= last && quiet[f]) {
        f++;
      }
      if ((f - begin) * frame >= min) {
        pauses.add(new int[] {begin * frame, f * frame});
      }
    }
    return pauses;
  }

  /** The share of 10 ms frames in {@code from..to} that are louder than {@link #QUIET}. */
  static double voicedShare(Pcm pcm, int from, int to) {
    int frame = pcm.sampleRate() / 100;
    int voiced = 0;
    int all = 0;
    for (int s = from; s + frame <= to; s += frame) {
      all++;
      if (peak(pcm, s, s + frame) >= QUIET) {
        voiced++;
      }
    }
    return all == 0 ? 0 : (double) voiced / all;
  }

  private static int peak(Pcm pcm, int from, int to) {
    byte[] b = pcm.samples();
    int peak = 0;
    for (int i = from; i < to; i++) {
      peak = Math.max(peak, Math.abs((short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8))));
    }
    return peak;
  }
}
