package dev.ttsapi.worker;

import dev.ttsapi.audio.Pcm;

/** What SSML does to a span's PCM after the engine: silence, the engine's own edges cut, gain. */
final class SpanAudio {

  /** Below this a sample counts as silence (about -44 dBFS): the engines' pauses are quieter. */
  static final int SILENCE_THRESHOLD = 200;

  /** Kept of an engine's silence at a cut edge, so a soft onset or release is not clipped. */
  static final int EDGE_KEEP_MS = 10;

  private SpanAudio() {}

  static Pcm silence(int millis, int sampleRate) {
    long samples = (long) millis * sampleRate / 1000;
    return new Pcm(new byte[(int) samples * 2], sampleRate);
  }

  /**
   * The PCM without the engine's silence before ({@code lead}) and after ({@code trail}) the words,
   * so that a {@code <break>} next to them is the silence the document asked for, not that plus
   * whatever the engine adds at the ends of an utterance.
   */
  static Pcm trim(Pcm pcm, boolean lead, boolean trail) {
    if (!lead && !trail) {
      return pcm;
    }
    byte[] b = pcm.samples();
    int n = pcm.sampleCount();
    int first = 0;
    while (first < n && Math.abs(sample(b, first)) < SILENCE_THRESHOLD) {
      first++;
    }
    if (first == n) {
      return pcm; // all silence: nothing to cut around
    }
    int last = n - 1;
    while (last > first && Math.abs(sample(b, last)) < SILENCE_THRESHOLD) {
      last--;
    }
    int keep = EDGE_KEEP_MS * pcm.sampleRate() / 1000;
    int from = lead ? Math.max(0, first - keep) : 0;
    int to = trail ? Math.min(n, last + 1 + keep) : n;
    byte[] out = new byte[(to - from) * 2];
    System.arraycopy(b, from * 2, out, 0, out.length);
    return new Pcm(out, pcm.sampleRate());
  }

  /**
   * How many samples {@link #trim} cuts before the words ({@code lead}), so that what was measured
   * in the untrimmed PCM can be moved to the trimmed one.
   */
  static int leadCut(Pcm pcm, boolean lead) {
    if (!lead) {
      return 0;
    }
    byte[] b = pcm.samples();
    int n = pcm.sampleCount();
    int first = 0;
    while (first < n && Math.abs(sample(b, first)) < SILENCE_THRESHOLD) {
      first++;
    }
    if (first == n) {
      return 0;
    }
    return Math.max(0, first - EDGE_KEEP_MS * pcm.sampleRate() / 1000);
  }

  /** Samples multiplied by {@code gain}, held within 16 bits. */
  static Pcm gain(Pcm pcm, double gain) {
    if (gain == 1.0) {
      return pcm;
    }
    byte[] b = pcm.samples();
    byte[] out = new byte[b.length];
    for (int i = 0; i < pcm.sampleCount(); i++) {
      int v = (int) Math.round(sample(b, i) * gain);
      v = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
      out[2 * i] = (byte) v;
      out[2 * i + 1] = (byte) (v >> 8);
    }
    return new Pcm(out, pcm.sampleRate());
  }

  static int sample(byte[] b, int i) {
    return (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8));
  }
}
