package dev.ttsapi.audio;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The encoded formats a client can ask for. */
public enum AudioFormat {
  WAV("audio/wav", "wav"),
  MP3("audio/mpeg", "mp3");

  private final String contentType;
  private final String extension;

  AudioFormat(String contentType, String extension) {
    this.contentType = contentType;
    this.extension = extension;
  }

  public String contentType() {
    return contentType;
  }

  public String extension() {
    return extension;
  }

  public static Optional<AudioFormat> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(f -> f.extension.equals(wanted)).findFirst();
  }
}
