package dev.ttsapi.audio;

/**
 * Signed 16-bit little-endian mono PCM.
 *
 * @param samples the sample bytes, two per sample
 * @param sampleRate samples per second
 */
public record Pcm(byte[] samples, int sampleRate) {

  public Pcm {
    if (samples.length % 2 != 0) {
      throw new IllegalArgumentException("16-bit PCM needs an even number of bytes");
    }
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sample rate must be positive");
    }
  }

  public int sampleCount() {
    return samples.length / 2;
  }

  public double durationSeconds() {
    return (double) sampleCount() / sampleRate;
  }
}
