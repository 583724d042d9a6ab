package dev.ttsapi.audio;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * RIFF/WAVE, 16-bit mono PCM. The header is written first from the announced length, so the samples
 * can be copied straight through.
 */
public final class WavEncoder implements AudioEncoder {

  static final int HEADER_BYTES = 44;

  /** RIFF sizes are unsigned 32-bit; the RIFF chunk size also counts 36 header bytes. */
  private static final long MAX_PCM_BYTES = 0xFFFF_FFFFL - 36;

  @Override
  public AudioFormat format() {
    return AudioFormat.WAV;
  }

  @Override
  public void encode(InputStream pcm, long pcmBytes, int sampleRate, OutputStream out)
      throws IOException {
    if (pcmBytes < 0 || pcmBytes > MAX_PCM_BYTES || pcmBytes % 2 != 0) {
      throw new IllegalArgumentException("cannot write " + pcmBytes + " PCM bytes to a WAV file");
    }
    out.write(header(pcmBytes, sampleRate));
    copyExactly(pcm, pcmBytes, out);
  }

  /** The 44-byte canonical header for {@code pcmBytes} of 16-bit mono samples. */
  public static byte[] header(long pcmBytes, int sampleRate) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) (36 + pcmBytes));
    b.put(new byte[] {'W', 'A', 'V', 'E', 'f', 'm', 't', ' '}).putInt(16);
    b.putShort((short) 1) // PCM
        .putShort((short) 1) // mono
        .putInt(sampleRate)
        .putInt(sampleRate * 2) // bytes per second
        .putShort((short) 2) // block align
        .putShort((short) 16);
    b.put(new byte[] {'d', 'a', 't', 'a'}).putInt((int) pcmBytes);
    return b.array();
  }

  static void copyExactly(InputStream in, long bytes, OutputStream out) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long left = bytes;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new EOFException("PCM ended " + left + " bytes before the announced " + bytes);
      }
      out.write(buffer, 0, n);
      left -= n;
    }
  }
}
