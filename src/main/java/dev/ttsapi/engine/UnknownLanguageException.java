package dev.ttsapi.engine;

import java.util.List;

/** No installed voice speaks the requested language, not even a regional variant of it. */
public class UnknownLanguageException extends RuntimeException {

  private final String language;
  private final List<String> availableLanguages;

  public UnknownLanguageException(String language, List<String> availableLanguages) {
    super(
        "no voice speaks language '"
            + language
            + "'; languages available: "
            + String.join(", ", availableLanguages));
    this.language = language;
    this.availableLanguages = List.copyOf(availableLanguages);
  }

  /** The language tag as requested. */
  public String language() {
    return language;
  }

  /** BCP-47 tags of every installed voice, sorted. */
  public List<String> availableLanguages() {
    return availableLanguages;
  }
}
