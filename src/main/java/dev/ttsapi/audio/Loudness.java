package dev.ttsapi.audio;

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

  /** The RMS level of the non-silent samples in dBFS, or empty silence as -infinity. */
  public static double levelDbfs(Pcm pcm) {
    float[] x = PcmEffects.toFloats(pcm.samples());
    double sum = 0;
    int counted = 0;
    for (float v : x) {
      if (Math.abs(v) > SILENCE) {
        sum += (double) v * v;
        counted++;
      }
    }
    if (counted == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    return 20 * Math.log10(Math.sqrt(sum / counted) / Short.MAX_VALUE);
  }

  /** The chunk at {@link #TARGET_DBFS}, as near as the gain bounds and the peak limit allow. */
  public static Pcm normalize(Pcm pcm) {
    double level = levelDbfs(pcm);
    if (Double.isInfinite(level)) {
      return pcm;
    }
    float[] x = PcmEffects.toFloats(pcm.samples());
    double peak = 0;
    for (float v : x) {
      peak = Math.max(peak, Math.abs(v));
    }
    double gain = Math.pow(10, (TARGET_DBFS - level) / 20);
    gain = Math.max(MIN_GAIN, Math.min(MAX_GAIN, gain));
    if (peak * gain > PEAK_LIMIT) {
      gain = PEAK_LIMIT / peak;
    }
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (x[i] * gain);
    }
    return new Pcm(PcmEffects.toBytes(x), pcm.sampleRate());
  }
}
