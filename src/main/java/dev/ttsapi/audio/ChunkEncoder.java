package dev.ttsapi.audio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Encodes PCM (signed 16-bit little-endian mono) into one {@link AudioFormat} chunk by chunk: each
 * call returns the encoded bytes that are ready, so a streamed answer sends a chunk's audio before
 * the next chunk exists, and stored audio is encoded block by block, never held whole. The same
 * encoders serve both; only WAV needs to know the total length up front (its header carries it),
 * and streams announce the largest length instead. One instance encodes one stream.
 */
public abstract class ChunkEncoder {

  /** Total PCM length when it is not known yet (a streamed answer). */
  public static final long UNKNOWN_LENGTH = -1;

  /** Bytes of PCM read per block when encoding a whole stream: one second at 48 kHz. */
  private static final int BLOCK_BYTES = 96_000;

  /**
   * An encoder of {@code format} for PCM at {@code sampleRate}.
   *
   * @param totalPcmBytes the whole stream's PCM length, or {@link #UNKNOWN_LENGTH}
   */
  public static ChunkEncoder of(AudioFormat format, int sampleRate, long totalPcmBytes) {
    return switch (format) {
      case PCM -> new RawChunks();
      case WAV -> new WavChunks(sampleRate, totalPcmBytes);
      case MP3 -> new Mp3Chunks(sampleRate);
      case OGG -> new OggOpusChunks(sampleRate);
    };
  }

  /** Bytes to send before any audio (a header), possibly none. */
  public byte[] start() throws IOException {
    return new byte[0];
  }

  /** The encoded bytes of {@code chunk} that are ready now, possibly none. */
  public abstract byte[] encode(Pcm chunk) throws IOException;

  /** What is left once every chunk was given: buffered frames, a trailer. */
  public byte[] finish() throws IOException {
    return new byte[0];
  }

  /**
   * Encodes exactly {@code pcmBytes} bytes of PCM read from {@code pcm} into {@code out}, a block
   * at a time. Neither stream is closed.
   *
   * @throws IOException when reading or writing fails, or {@code pcm} ends early
   */
  public static void encode(
      AudioFormat format, InputStream pcm, long pcmBytes, int sampleRate, OutputStream out)
      throws IOException {
    if (pcmBytes < 0 || pcmBytes % 2 != 0) {
      throw new IllegalArgumentException("cannot encode " + pcmBytes + " PCM bytes");
    }
    ChunkEncoder encoder = of(format, sampleRate, pcmBytes);
    out.write(encoder.start());
    byte[] block = new byte[BLOCK_BYTES];
    long left = pcmBytes;
    while (left > 0) {
      int wanted = (int) Math.min(block.length, left);
      int read = readFully(pcm, block, wanted);
      if (read < wanted) {
        throw new java.io.EOFException(
            "PCM ended " + (left - read) + " bytes before the announced " + pcmBytes);
      }
      left -= read;
      out.write(encoder.encode(new Pcm(java.util.Arrays.copyOf(block, read), sampleRate)));
    }
    out.write(encoder.finish());
  }

  /** Reads up to {@code wanted} bytes, however few each read gives; fewer only at the end. */
  private static int readFully(InputStream in, byte[] block, int wanted) throws IOException {
    int filled = 0;
    while (filled < wanted) {
      int n = in.read(block, filled, wanted - filled);
      if (n < 0) {
        break;
      }
      filled += n;
    }
    return filled;
  }

  /** Samples as they are, no header. */
  private static final class RawChunks extends ChunkEncoder {
    @Override
    public byte[] encode(Pcm chunk) {
      return chunk.samples();
    }
  }
}
