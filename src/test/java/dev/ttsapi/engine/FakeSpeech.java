package dev.ttsapi.engine;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.audio.PcmAnalysis;

/**
 * What the fakes of remote speech services say: a voiced-speech stand-in ({@link
 * PcmAnalysis#syntheticVoice}) lasting as long as a person takes to read the text aloud, so that
 * duration, speed, pitch and long input can be measured on it as on real speech. The same text
 * always gives the same samples, and different texts differ in length and in fundamental.
 */
public final class FakeSpeech {

  /** About 150 words a minute, an ordinary speaking pace. */
  public static final double CHARACTERS_PER_SECOND = 15;

  private FakeSpeech() {}

  /**
   * The text spoken at {@code speed} times the normal rate, keeping the voice's pitch (as the
   * services' own speed settings do).
   */
  public static Pcm of(String text, double speed, int sampleRate) {
    double seconds = text.codePointCount(0, text.length()) / (CHARACTERS_PER_SECOND * speed);
    double f0 = 110 + Math.floorMod(text.hashCode(), 90);
    return PcmAnalysis.syntheticVoice(seconds, sampleRate, f0);
  }
}
