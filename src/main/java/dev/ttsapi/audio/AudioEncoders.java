package dev.ttsapi.audio;

import java.util.Map;

/** The encoder for each {@link AudioFormat}. */
public final class AudioEncoders {

  private static final Map<AudioFormat, AudioEncoder> ENCODERS =
      Map.of(
          AudioFormat.WAV, new WavEncoder(),
          AudioFormat.MP3, new Mp3Encoder(),
          AudioFormat.OGG, new OggOpusEncoder(),
          AudioFormat.PCM, new RawPcmEncoder());

  private AudioEncoders() {}

  public static AudioEncoder forFormat(AudioFormat format) {
    AudioEncoder encoder = ENCODERS.get(format);
    if (encoder == null) {
      throw new IllegalArgumentException("no encoder for " + format);
    }
    return encoder;
  }
}
