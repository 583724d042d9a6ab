package dev.ttsapi.speech;

import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.audio.ChunkEncoder;
import dev.ttsapi.audio.Pcm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * MaryTTS's {@code AUDIO} values that this service answers, with the content types MaryTTS 5.2
 * sends for them ({@code MaryHttpServerUtils.getMimeType}). The suffix ({@code _FILE}, {@code
 * _STREAM}) is dropped as MaryTTS drops it; a stream is answered as the whole file, which every
 * MaryTTS client reads. WAVE, AU and AIFF are written by Java Sound, as MaryTTS writes them; MP3 by
 * the service's own encoder. MaryTTS's AIFC and Vorbis are refused: nothing here writes them.
 */
enum MaryAudioType {
  WAVE("audio/x-wav", AudioFileFormat.Type.WAVE),
  AU("audio/basic", AudioFileFormat.Type.AU),
  AIFF("audio/x-aiff", AudioFileFormat.Type.AIFF),
  MP3("audio/x-mpeg", null);

  private final String contentType;
  private final AudioFileFormat.Type javaSoundType;

  MaryAudioType(String contentType, AudioFileFormat.Type javaSoundType) {
    this.contentType = contentType;
    this.javaSoundType = javaSoundType;
  }

  /** {@code WAVE_FILE}, {@code AU_STREAM}, {@code MP3}: the type before the last underscore. */
  static Optional<MaryAudioType> parse(String audio) {
    if (audio == null) {
      return Optional.empty();
    }
    String name = audio.strip().toUpperCase(Locale.ROOT);
    int underscore = name.lastIndexOf('_');
    String type = underscore < 0 ? name : name.substring(0, underscore);
    return Arrays.stream(values()).filter(t -> t.name().equals(type)).findFirst();
  }

  static String names() {
    return "WAVE_FILE, AU_FILE, AIFF_FILE, MP3_FILE (or _STREAM)";
  }

  String contentType() {
    return contentType;
  }

  /** The format that stands for this type in the request's {@code Utterance}. */
  AudioFormat format() {
    return this == MP3 ? AudioFormat.MP3 : AudioFormat.WAV;
  }

  /** The whole file for 16-bit little-endian mono {@code pcm}. */
  byte[] encode(Pcm pcm) throws IOException {
    if (this == MP3) {
      ChunkEncoder encoder =
          ChunkEncoder.of(AudioFormat.MP3, pcm.sampleRate(), pcm.samples().length);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(encoder.start());
      out.write(encoder.encode(pcm));
      out.write(encoder.finish());
      return out.toByteArray();
    }
    javax.sound.sampled.AudioFormat format =
        new javax.sound.sampled.AudioFormat(pcm.sampleRate(), 16, 1, true, false);
    ByteArrayOutputStream out = new ByteArrayOutputStream(pcm.samples().length + 64);
    try (AudioInputStream in =
        new AudioInputStream(new ByteArrayInputStream(pcm.samples()), format, pcm.sampleCount())) {
      AudioSystem.write(in, javaSoundType, out);
    }
    return out.toByteArray();
  }
}
