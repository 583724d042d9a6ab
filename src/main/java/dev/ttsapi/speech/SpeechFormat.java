package dev.ttsapi.speech;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** OpenAI's {@code response_format} values this service streams. */
enum SpeechFormat {
  MP3("audio/mpeg"),
  /** Opus in an Ogg stream, as OpenAI sends it. */
  OPUS("audio/ogg"),
  /** A WAV header announcing the largest length, then the samples as they come. */
  WAV("audio/wav"),
  /** Raw 16-bit little-endian mono samples, no header. */
  PCM("audio/pcm");

  private final String contentType;

  SpeechFormat(String contentType) {
    this.contentType = contentType;
  }

  String contentType() {
    return contentType;
  }

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<SpeechFormat> parse(String name) {
    if (name == null) {
      return Optional.of(MP3); // OpenAI's default
    }
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(f -> f.wireName().equals(wanted)).findFirst();
  }

  static String names() {
    return String.join(", ", Arrays.stream(values()).map(SpeechFormat::wireName).toList());
  }
}
