package dev.ttsapi.engine;

/**
 * A voice an engine offers.
 *
 * @param id the public id, {@code engine:name} ({@code mary:cmu-slt-hsmm})
 * @param engine the engine id
 * @param name the engine's own name for the voice
 * @param language BCP-47 language tag ({@code en-US}, {@code vi})
 * @param gender the voice's gender, used to resolve vendor-style names
 * @param sampleRate the sample rate of the PCM the voice produces, in Hz
 */
public record Voice(
    String id, String engine, String name, String language, Gender gender, int sampleRate) {

  public static Voice of(
      String engine, String name, String language, Gender gender, int sampleRate) {
    return new Voice(engine + ":" + name, engine, name, language, gender, sampleRate);
  }
}
