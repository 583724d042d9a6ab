package dev.ttsapi.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;

/**
 * Speaking rate and pitch changes on finished PCM, for engines that cannot do them while
 * synthesizing. Tempo uses WSOLA (waveform-similarity overlap-add): the signal is cut into
 * overlapping windows, taken from the input at the new rate, and each window is shifted a little so
 * it lines up with the waveform of the previous one, which keeps the pitch and avoids clicks. Pitch
 * is a tempo change followed by resampling, which restores the duration and moves the pitch by the
 * resampling ratio.
 */
public final class PcmEffects {

  private static final double WINDOW_SECONDS = 0.030;
  private static final double SEARCH_SECONDS = 0.010;

  private PcmEffects() {}

  /**
   * Speaks {@code speed} times as fast (2.0 halves the duration) and {@code semitones} higher,
   * keeping the sample rate.
   */
  public static Pcm apply(Pcm pcm, double speed, double semitones) {
    if (speed <= 0) {
      throw new IllegalArgumentException("speed must be positive: " + speed);
    }
    boolean sameSpeed = Math.abs(speed - 1.0) < 1e-6;
    boolean samePitch = Math.abs(semitones) < 1e-6;
    if ((sameSpeed && samePitch) || pcm.sampleCount() == 0) {
      return pcm;
    }
    float[] x = toFloats(pcm.samples());
    double ratio = Math.pow(2.0, semitones / 12.0);
    // Resampling by `ratio` makes the audio `ratio` times faster too; the stretch makes up for it.
    float[] stretched = stretch(x, speed / ratio, pcm.sampleRate());
    float[] shifted = samePitch ? stretched : resample(stretched, ratio);
    return new Pcm(toBytes(shifted), pcm.sampleRate());
  }

  /** WSOLA: plays {@code x} at {@code tempo} times its speed without changing its pitch. */
  static float[] stretch(float[] x, double tempo, int sampleRate) {
    if (Math.abs(tempo - 1.0) < 1e-6) {
      return x;
    }
    int window = Math.max(16, (int) (WINDOW_SECONDS * sampleRate)) & ~1;
    int hop = window / 2;
    int search = (int) (SEARCH_SECONDS * sampleRate);
    int outLength = (int) Math.round(x.length / tempo);
    float[] hann = new float[window];
    for (int i = 0; i < window; i++) {
      hann[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / window));
    }
    float[] y = new float[outLength + window];
    int previous = 0;
    for (int outPos = 0; outPos < outLength; outPos += hop) {
      int nominal = (int) Math.round(outPos * tempo);
      int chosen = outPos == 0 ? 0 : bestMatch(x, previous + hop, nominal, search, hop);
      for (int i = 0; i < window; i++) {
        int at = chosen + i;
        if (at >= 0 && at < x.length) {
          y[outPos + i] += hann[i] * x[at];
        }
      }
      previous = chosen;
    }
    // the first half window has no predecessor to overlap with
    for (int i = 0; i < hop && i < y.length; i++) {
      y[i] = i < x.length ? x[i] : 0;
    }
    return java.util.Arrays.copyOf(y, outLength);
  }

  /**
   * The start near {@code nominal} whose first {@code length} samples best match the natural
   * continuation {@code x[natural...]} of the previous window (largest cross-correlation).
   */
  private static int bestMatch(float[] x, int natural, int nominal, int search, int length) {
    int best = nominal;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int candidate = nominal - search; candidate <= nominal + search; candidate++) {
      if (candidate < 0) {
        continue;
      }
      double score = 0;
      // every second sample is plenty to find the alignment and halves the cost
      for (int i = 0; i < length; i += 2) {
        int a = candidate + i;
        int b = natural + i;
        if (a >= x.length || b >= x.length) {
          break;
        }
        score += x[a] * x[b];
      }
      if (score > bestScore) {
        bestScore = score;
        best = candidate;
      }
    }
    return best;
  }

  /** Reads {@code x} {@code ratio} times as fast (linear interpolation, low-passed first). */
  static float[] resample(float[] x, double ratio) {
    float[] source = ratio > 1.0 ? lowPass(x, 1.0 / ratio) : x;
    int n = (int) Math.floor((source.length - 1) / ratio) + 1;
    float[] y = new float[Math.max(0, n)];
    for (int i = 0; i < y.length; i++) {
      double pos = i * ratio;
      int i0 = (int) pos;
      double frac = pos - i0;
      float a = source[i0];
      float b = i0 + 1 < source.length ? source[i0 + 1] : a;
      y[i] = (float) (a + (b - a) * frac);
    }
    return y;
  }

  /**
   * A windowed-sinc low-pass at {@code cutoff} times the Nyquist frequency, so reading faster does
   * not fold high frequencies back into the audible band.
   */
  private static float[] lowPass(float[] x, double cutoff) {
    int half = 16;
    double[] taps = new double[2 * half + 1];
    double sum = 0;
    for (int k = -half; k <= half; k++) {
      double sinc = k == 0 ? cutoff : Math.sin(Math.PI * cutoff * k) / (Math.PI * k);
      double blackman =
          0.42 + 0.5 * Math.cos(Math.PI * k / half) + 0.08 * Math.cos(2 * Math.PI * k / half);
      taps[k + half] = sinc * blackman;
      sum += taps[k + half];
    }
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      double acc = 0;
      for (int k = -half; k <= half; k++) {
        int j = i + k;
        if (j >= 0 && j < x.length) {
          acc += taps[k + half] * x[j];
        }
      }
      y[i] = (float) (acc / sum);
    }
    return y;
  }

  static float[] toFloats(byte[] samples) {
    ShortBuffer s = ByteBuffer.wrap(samples).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
    float[] x = new float[s.remaining()];
    for (int i = 0; i < x.length; i++) {
      x[i] = s.get(i);
    }
    return x;
  }

  static byte[] toBytes(float[] x) {
    ByteBuffer b = ByteBuffer.allocate(x.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : x) {
      b.putShort((short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v))));
    }
    return b.array();
  }
}
