package dev.ttsapi.audio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Turns a stream of {@link Pcm}-style samples (signed 16-bit little-endian mono) into one encoded
 * format. Encoders stream: they hold a bounded block of audio at a time, never the whole input.
 * Instances are stateless and safe to share between threads.
 */
public interface AudioEncoder {

  AudioFormat format();

  /**
   * Reads exactly {@code pcmBytes} bytes of PCM from {@code pcm} and writes the encoded audio to
   * {@code out}. Neither stream is closed.
   *
   * @throws IOException when reading or writing fails, or {@code pcm} ends before {@code pcmBytes}
   */
  void encode(InputStream pcm, long pcmBytes, int sampleRate, OutputStream out) throws IOException;
}
