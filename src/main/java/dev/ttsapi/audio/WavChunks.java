package dev.ttsapi.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * RIFF/WAVE, 16-bit mono PCM: the header, then the samples as they come. A stream whose length is
 * not known yet announces the largest a RIFF file can hold (data size 0xFFFFFFFF - 36, as ffmpeg
 * does when it cannot seek back); players read until the connection closes.
 */
final class WavChunks extends ChunkEncoder {

  static final int HEADER_BYTES = 44;

  /** RIFF sizes are unsigned 32-bit; the RIFF chunk size also counts 36 header bytes. */
  static final long MAX_PCM_BYTES = 0xFFFF_FFFFL - 36;

  private final int sampleRate;
  private final long pcmBytes;

  WavChunks(int sampleRate, long totalPcmBytes) {
    if (totalPcmBytes > MAX_PCM_BYTES) {
      throw new IllegalArgumentException(
          "cannot write " + totalPcmBytes + " PCM bytes to a WAV file");
    }
    this.sampleRate = sampleRate;
    this.pcmBytes = totalPcmBytes == UNKNOWN_LENGTH ? MAX_PCM_BYTES : totalPcmBytes;
  }

  @Override
  public byte[] start() {
    return header(pcmBytes, sampleRate);
  }

  @Override
  public byte[] encode(Pcm chunk) {
    return chunk.samples();
  }

  /** The 44-byte canonical header for {@code pcmBytes} of 16-bit mono samples. */
  static byte[] header(long pcmBytes, int sampleRate) {
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
}
