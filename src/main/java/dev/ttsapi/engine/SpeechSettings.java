package dev.ttsapi.engine;

/**
 * How to speak, in the units of the seed's payload (the same as Google Cloud TTS).
 *
 * @param speed speaking rate, 1.0 is the voice's normal rate; {@value #MIN_SPEED} to {@value
 *     #MAX_SPEED}
 * @param pitch pitch shift in semitones, 0.0 is the voice's normal pitch; {@value #MIN_PITCH} to
 *     {@value #MAX_PITCH}
 */
public record SpeechSettings(double speed, double pitch) {

  public static final double MIN_SPEED = 0.25;
  public static final double MAX_SPEED = 4.0;
  public static final double MIN_PITCH = -20.0;
  public static final double MAX_PITCH = 20.0;

  public static final SpeechSettings NORMAL = new SpeechSettings(1.0, 0.0);

  public SpeechSettings {
    if (!(speed >= MIN_SPEED && speed <= MAX_SPEED)) {
      throw new IllegalArgumentException(
          "speed must be between " + MIN_SPEED + " and " + MAX_SPEED);
    }
    if (!(pitch >= MIN_PITCH && pitch <= MAX_PITCH)) {
      throw new IllegalArgumentException(
          "pitch must be between " + MIN_PITCH + " and " + MAX_PITCH);
    }
  }
}
