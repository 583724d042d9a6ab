package dev.ttsapi.engine;

import java.util.List;

/**
 * What a node with an engine tells the others about it: enough to resolve voices and make content
 * keys, with no engine loaded.
 *
 * @param engine the engine id ({@code mary})
 * @param version the engine's {@link SpeechEngine#version()}, part of every content key
 * @param voices its voices
 */
public record EngineVoices(String engine, String version, List<Voice> voices) {

  public EngineVoices {
    voices = List.copyOf(voices);
  }

  static EngineVoices of(SpeechEngine engine) {
    return new EngineVoices(engine.id(), engine.version(), engine.voices());
  }
}
