package dev.ttsapi.audio;

/**
 * The RMS level of a whole stream of PCM, added up chunk by chunk: whether a job made any sound at
 * all. Not thread-safe: one reader adds the chunks in turn.
 */
public final class LevelMeter {

  /**
   * Below this RMS level over the whole audio nothing is heard: -60 dBFS, 40 dB under the level
   * chunks of speech are brought to ({@link Loudness#TARGET_DBFS}). Speech measured from MaryTTS
   * and espeak-ng is -25 to -15 dBFS; the silence they make for text they cannot say is all zeros.
   */
  public static final double INAUDIBLE_DBFS = -60.0;

  private double sumOfSquares;
  private long samples;

  public void add(Pcm pcm) {
    byte[] b = pcm.samples();
    for (int i = 0; i < b.length; i += 2) {
      double v = (short) ((b[i] & 0xff) | (b[i + 1] << 8));
      sumOfSquares += v * v;
    }
    samples += pcm.sampleCount();
  }

  /** The RMS level of everything added, in dBFS; -infinity for silence or no samples. */
  public double levelDbfs() {
    if (samples == 0 || sumOfSquares == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    return 20 * Math.log10(Math.sqrt(sumOfSquares / samples) / Short.MAX_VALUE);
  }

  /** Whether anything added can be heard. */
  public boolean audible() {
    return levelDbfs() >= INAUDIBLE_DBFS;
  }
}
