package dev.ttsapi.audio;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The encoded formats a client can ask for. */
public enum AudioFormat {
  WAV("audio/wav", "wav"),
  MP3("audio/mpeg", "mp3"),
  /** Opus in an Ogg container. */
  OGG("audio/ogg", "ogg"),
  /** Raw 16-bit little-endian mono samples at the request's sample rate, no header. */
  PCM("audio/pcm", "pcm");

  /** Output sample rates a client may ask for; every format can carry each of them. */
  public static final java.util.SortedSet<Integer> SAMPLE_RATES =
      java.util.Collections.unmodifiableSortedSet(
          new java.util.TreeSet<>(java.util.List.of(8000, 16000, 22050, 24000, 44100, 48000)));

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
