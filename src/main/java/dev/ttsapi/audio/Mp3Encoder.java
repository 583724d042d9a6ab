package dev.ttsapi.audio;

import de.sciss.jump3r.lowlevel.LameEncoder;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * MP3 through jump3r (a Java port of LAME), constant bit rate, mono. Input is fed in LAME-sized
 * blocks, so memory stays flat whatever the length. LAME accepts the MPEG sample rates (8 to 48
 * kHz, which covers every engine here) and resamples others itself.
 */
public final class Mp3Encoder implements AudioEncoder {

  /** 64 kbit/s is transparent enough for a single speaking voice and keeps files small. */
  public static final int DEFAULT_BITRATE_KBPS = 64;

  /** Samples in one MPEG-1 Layer III frame. */
  private static final int FRAME_SAMPLES = 1152;

  private final int bitrateKbps;

  public Mp3Encoder() {
    this(DEFAULT_BITRATE_KBPS);
  }

  public Mp3Encoder(int bitrateKbps) {
    if (bitrateKbps < 8 || bitrateKbps > 320) {
      throw new IllegalArgumentException("MP3 bit rate must be 8 to 320 kbit/s: " + bitrateKbps);
    }
    this.bitrateKbps = bitrateKbps;
  }

  @Override
  public AudioFormat format() {
    return AudioFormat.MP3;
  }

  @Override
  public void encode(InputStream pcm, long pcmBytes, int sampleRate, OutputStream out)
      throws IOException {
    if (pcmBytes < 0 || pcmBytes % 2 != 0) {
      throw new IllegalArgumentException("cannot encode " + pcmBytes + " PCM bytes");
    }
    javax.sound.sampled.AudioFormat source =
        new javax.sound.sampled.AudioFormat(sampleRate, 16, 1, true, false);
    LameEncoder lame =
        new LameEncoder(
            source, bitrateKbps, LameEncoder.CHANNEL_MODE_MONO, LameEncoder.QUALITY_MIDDLE, false);
    try {
      int blockBytes = lame.getPCMBufferSize() & ~1;
      byte[] input = new byte[blockBytes];
      byte[] output = new byte[lame.getMP3BufferSize()];
      long left = pcmBytes;
      while (left > 0) {
        int filled = readBlock(pcm, input, (int) Math.min(blockBytes, left));
        if (filled < 0) {
          throw new EOFException("PCM ended " + left + " bytes before the announced " + pcmBytes);
        }
        left -= filled;
        int encoded = lame.encodeBuffer(input, 0, filled, output);
        out.write(output, 0, encoded);
      }
      // LAME cannot finish a stream shorter than one frame (jump3r asserts): pad it with silence.
      long samples = pcmBytes / 2;
      if (samples < FRAME_SAMPLES) {
        byte[] silence = new byte[(int) (FRAME_SAMPLES - samples) * 2];
        out.write(output, 0, lame.encodeBuffer(silence, 0, silence.length, output));
      }
      int tail = lame.encodeFinish(output);
      out.write(output, 0, tail);
    } finally {
      lame.close();
    }
  }

  /** Fills up to {@code want} bytes (an even count); -1 only when nothing at all could be read. */
  private static int readBlock(InputStream in, byte[] buffer, int want) throws IOException {
    int filled = 0;
    while (filled < want) {
      int n = in.read(buffer, filled, want - filled);
      if (n < 0) {
        break;
      }
      filled += n;
    }
    if (filled < want) {
      return -1;
    }
    return filled;
  }
}
