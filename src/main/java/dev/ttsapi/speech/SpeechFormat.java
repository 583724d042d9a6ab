package dev.ttsapi.speech;

import dev.ttsapi.audio.AudioFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI's {@code response_format} names, and the format each one is: {@code opus} is Opus in an
 * Ogg stream, as OpenAI sends it. The formats themselves, and their encoders, are the {@code audio}
 * package's, shared with stored audio.
 */
final class SpeechFormat {

  private static final Map<String, AudioFormat> BY_OPENAI_NAME =
      Map.of(
          "mp3", AudioFormat.MP3,
          "opus", AudioFormat.OGG,
          "wav", AudioFormat.WAV,
          "pcm", AudioFormat.PCM);

  /** OpenAI's default, when none is named. */
  private static final AudioFormat DEFAULT = AudioFormat.MP3;

  private SpeechFormat() {}

  static Optional<AudioFormat> parse(String name) {
    if (name == null) {
      return Optional.of(DEFAULT);
    }
    return Optional.ofNullable(BY_OPENAI_NAME.get(name.trim().toLowerCase(Locale.ROOT)));
  }

  static String names() {
    return "mp3, opus, wav, pcm";
  }
}
