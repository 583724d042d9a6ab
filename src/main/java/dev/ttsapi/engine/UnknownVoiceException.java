package dev.ttsapi.engine;

import java.util.List;

/**
 * A requested voice does not exist here: its engine is not installed, the engine has no voice of
 * that name, or a vendor-style name could not be matched. Carries what does exist, for the error
 * response.
 */
public class UnknownVoiceException extends RuntimeException {

  private final String voice;
  private final List<String> availableVoices;
  private final List<String> availableEngines;
  private final List<String> availableLanguages;

  public UnknownVoiceException(
      String message,
      String voice,
      List<String> availableVoices,
      List<String> availableEngines,
      List<String> availableLanguages) {
    super(message);
    this.voice = voice;
    this.availableVoices = List.copyOf(availableVoices);
    this.availableEngines = List.copyOf(availableEngines);
    this.availableLanguages = List.copyOf(availableLanguages);
  }

  /** The voice name as requested. */
  public String voice() {
    return voice;
  }

  /** Ids ({@code engine:name}) of every installed voice. */
  public List<String> availableVoices() {
    return availableVoices;
  }

  public List<String> availableEngines() {
    return availableEngines;
  }

  public List<String> availableLanguages() {
    return availableLanguages;
  }
}
