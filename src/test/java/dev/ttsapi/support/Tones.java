package dev.ttsapi.support;

import dev.ttsapi.audio.Pcm;

/**
 * Audible PCM for test engines that stand in for speech: the service fails a job whose audio is
 * silent as a whole (nothing to speak), so their output must not be all zeros.
 */
public final class Tones {

  private Tones() {}

  /** A square wave of {@code samples} samples at about -18 dBFS. */
  public static Pcm square(int samples, int sampleRate) {
    byte[] tone = new byte[samples * 2];
    for (int i = 0; i < samples; i++) {
      tone[2 * i + 1] = (byte) (i % 40 < 20 ? 0x10 : 0xF0);
    }
    return new Pcm(tone, sampleRate);
  }
}
