package dev.ttsapi.ssml;

/**
 * How a span is spoken relative to the request's own settings: prosody and emphasis, nested ones
 * combined ({@link #within}).
 *
 * @param rate speaking rate as a multiple of the request's speed
 * @param pitchSemitones semitones added to the request's pitch
 * @param volumeDb gain in decibels applied to the span's audio; {@link #SILENT} for silence
 */
public record Prosody(double rate, double pitchSemitones, double volumeDb) {

  public static final Prosody NEUTRAL = new Prosody(1.0, 0.0, 0.0);

  /** {@code volume="silent"}: the span takes its time but makes no sound. */
  public static final double SILENT = Double.NEGATIVE_INFINITY;

  /** This prosody inside {@code outer}: rates multiply, pitches and gains add. */
  Prosody within(Prosody outer) {
    return new Prosody(
        rate * outer.rate, pitchSemitones + outer.pitchSemitones, volumeDb + outer.volumeDb);
  }

  /** The linear factor the span's samples are multiplied by. */
  public double gain() {
    return volumeDb == SILENT ? 0.0 : Math.pow(10, volumeDb / 20);
  }
}
