package dev.ttsapi.audio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Brings chunks of speech to one loudness, so a document joined from many synthesis calls (or
 * several engines) does not jump in volume between sentences. Loudness is the RMS of the samples
 * that are not near-silence; the gain is bounded and never pushes peaks past the limit.
 */
public final class Loudness {

  /** Target speech level: -20 dBFS RMS, a common level for spoken word. */
  public static final double TARGET_DBFS = -20.0;

  private static final double PEAK_LIMIT = 0.89 * Short.MAX_VALUE; // -1 dBFS
  private static final double SILENCE = 0.003 * Short.MAX_VALUE; // about -50 dBFS
  private static final double MAX_GAIN = 8.0;
  private static final double MIN_GAIN = 0.125;

  private Loudness() {}

  /** Signed 16-bit little-endian samples read straight from the bytes (no float copy). */
  private static final VarHandle SAMPLE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

  /** The RMS level of the non-silent samples in dBFS, or empty silence as -infinity. */
  public static double levelDbfs(Pcm pcm) {
    return measure(pcm.samples()).dbfs();
  }

  /**
   * The chunk at {@link #TARGET_DBFS}, as near as the gain bounds and the peak limit allow. Every
   * chunk a worker makes passes here, so it reads the samples once to measure them and once to
   * scale them, with no float copies between (the same arithmetic, sample for sample, as scaling a
   * float copy and rounding it back).
   */
  public static Pcm normalize(Pcm pcm) {
    byte[] in = pcm.samples();
    Level level = measure(in);
    if (level.counted() == 0) {
      return pcm;
    }
    double gain = Math.pow(10, (TARGET_DBFS - level.dbfs()) / 20);
    gain = Math.max(MIN_GAIN, Math.min(MAX_GAIN, gain));
    if (level.peak() * gain > PEAK_LIMIT) {
      gain = PEAK_LIMIT / level.peak();
    }
    byte[] out = new byte[in.length];
    for (int at = 0; at < in.length; at += 2) {
      float scaled = (float) ((short) SAMPLE.get(in, at) * gain);
      int rounded = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(scaled)));
      SAMPLE.set(out, at, (short) rounded);
    }
    return new Pcm(out, pcm.sampleRate());
  }

  /** The sum of squares and count of the samples above near-silence, and the largest magnitude. */
  private record Level(double sum, int counted, int peak) {

    double dbfs() {
      return counted == 0
          ? Double.NEGATIVE_INFINITY
          : 20 * Math.log10(Math.sqrt(sum / counted) / Short.MAX_VALUE);
    }
  }

  private static Level measure(byte[] samples) {
    double sum = 0;
    int counted = 0;
    int peak = 0;
    for (int at = 0; at < samples.length; at += 2) {
      int v = Math.abs((short) SAMPLE.get(samples, at));
      if (v > SILENCE) {
        sum += (double) v * v;
        counted++;
      }
      peak = Math.max(peak, v);
    }
    return new Level(sum, counted, peak);
  }
}
