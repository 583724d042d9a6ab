package dev.ttsapi.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Measurements on PCM for tests: loudness, length of speech and fundamental frequency. */
public final class PcmAnalysis {

  private PcmAnalysis() {}

  /** The samples as numbers, to compare one by one. */
  public static short[] samples(Pcm pcm) {
    short[] s = new short[pcm.sampleCount()];
    ByteBuffer.wrap(pcm.samples()).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
    return s;
  }

  public static double rms(Pcm pcm) {
    float[] x = PcmEffects.toFloats(pcm.samples());
    double sum = 0;
    for (float v : x) {
      sum += v * v;
    }
    return x.length == 0 ? 0 : Math.sqrt(sum / x.length);
  }

  public static short peak(Pcm pcm) {
    float[] x = PcmEffects.toFloats(pcm.samples());
    float max = 0;
    for (float v : x) {
      max = Math.max(max, Math.abs(v));
    }
    return (short) max;
  }

  /**
   * Seconds from the first to the last 10 ms frame louder than −44 dBFS: the speech, without the
   * silence an engine puts before and after it.
   */
  public static double speechSeconds(Pcm pcm) {
    float[] x = PcmEffects.toFloats(pcm.samples());
    int frame = Math.max(1, pcm.sampleRate() / 100);
    int first = -1;
    int last = -1;
    for (int f = 0; (f + 1) * frame <= x.length; f++) {
      double energy = 0;
      for (int i = f * frame; i < (f + 1) * frame; i++) {
        energy += x[i] * x[i];
      }
      if (Math.sqrt(energy / frame) > 200) {
        first = first < 0 ? f : first;
        last = f;
      }
    }
    return first < 0 ? 0 : (double) (last - first + 1) * frame / pcm.sampleRate();
  }

  /**
   * Median fundamental frequency over the loud 40 ms frames, by normalized autocorrelation between
   * 60 and 500 Hz; frames without a clear period are skipped.
   */
  public static double medianF0(Pcm pcm) {
    float[] x = PcmEffects.toFloats(pcm.samples());
    int rate = pcm.sampleRate();
    int frame = (int) (0.040 * rate);
    int minLag = rate / 500;
    int maxLag = rate / 60;
    double loud = 0.3 * rms(pcm);
    List<Double> estimates = new ArrayList<>();
    for (int start = 0; start + frame + maxLag < x.length; start += frame / 2) {
      double energy = 0;
      for (int i = 0; i < frame; i++) {
        energy += x[start + i] * x[start + i];
      }
      if (Math.sqrt(energy / frame) < loud) {
        continue;
      }
      double best = 0;
      int bestLag = -1;
      for (int lag = minLag; lag <= maxLag; lag++) {
        double num = 0;
        double e2 = 0;
        for (int i = 0; i < frame; i++) {
          num += x[start + i] * x[start + i + lag];
          e2 += x[start + i + lag] * x[start + i + lag];
        }
        double r = num / Math.sqrt(energy * e2 + 1e-9);
        if (r > best) {
          best = r;
          bestLag = lag;
        }
      }
      if (best > 0.6 && bestLag > 0) {
        estimates.add((double) rate / bestLag);
      }
    }
    if (estimates.isEmpty()) {
      return Double.NaN;
    }
    Collections.sort(estimates);
    return estimates.get(estimates.size() / 2);
  }

  /**
   * A voiced-speech stand-in: a 150 Hz harmonic tone whose loudness rises and falls 3 times a
   * second.
   */
  public static Pcm syntheticVoice(double seconds, int rate, double f0) {
    int n = (int) (seconds * rate);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      double t = (double) i / rate;
      double envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * 3 * t);
      double v = 0;
      for (int h = 1; h <= 5; h++) {
        v += Math.sin(2 * Math.PI * f0 * h * t) / h;
      }
      x[i] = (float) (6000 * envelope * v);
    }
    return new Pcm(PcmEffects.toBytes(x), rate);
  }
}
