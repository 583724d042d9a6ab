package dev.ttsapi.audio;

/**
 * Changes the sample rate of PCM properly: low-passed below the new Nyquist frequency when going
 * down (a windowed sinc), interpolated when going up. Never by dropping or repeating samples.
 */
public final class Resampler {

  private Resampler() {}

  public static Pcm resample(Pcm pcm, int targetRate) {
    if (targetRate <= 0) {
      throw new IllegalArgumentException("sample rate must be positive: " + targetRate);
    }
    if (pcm.sampleRate() == targetRate || pcm.sampleCount() == 0) {
      return pcm.sampleRate() == targetRate ? pcm : new Pcm(pcm.samples(), targetRate);
    }
    double ratio = (double) pcm.sampleRate() / targetRate;
    float[] out = PcmEffects.resample(PcmEffects.toFloats(pcm.samples()), ratio);
    return new Pcm(PcmEffects.toBytes(out), targetRate);
  }
}
