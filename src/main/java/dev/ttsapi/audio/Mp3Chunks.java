package dev.ttsapi.audio;

import de.sciss.jump3r.lowlevel.LameEncoder;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * MP3 through jump3r (a Java port of LAME), 64 kbit/s constant bit rate, mono: one encoder across
 * the chunks, frames handed out as LAME makes them (MP3 frames concatenate). Input is fed in
 * LAME-sized blocks, so memory stays flat whatever the length. LAME takes the MPEG sample rates (8
 * to 48 kHz, which covers every engine here).
 */
final class Mp3Chunks extends ChunkEncoder {

  /** 64 kbit/s is transparent enough for a single speaking voice and keeps files small. */
  static final int BITRATE_KBPS = 64;

  /** Samples in one MPEG-1 Layer III frame. */
  private static final int FRAME_SAMPLES = 1152;

  private final LameEncoder lame;
  private final byte[] output;
  private final int blockBytes;
  private long samples;

  Mp3Chunks(int sampleRate) {
    javax.sound.sampled.AudioFormat source =
        new javax.sound.sampled.AudioFormat(sampleRate, 16, 1, true, false);
    lame =
        new LameEncoder(
            source, BITRATE_KBPS, LameEncoder.CHANNEL_MODE_MONO, LameEncoder.QUALITY_MIDDLE, false);
    output = new byte[lame.getMP3BufferSize()];
    blockBytes = lame.getPCMBufferSize() & ~1;
  }

  @Override
  public byte[] encode(Pcm chunk) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] pcm = chunk.samples();
    for (int offset = 0; offset < pcm.length; offset += blockBytes) {
      int n = Math.min(blockBytes, pcm.length - offset);
      out.write(
          output, 0, lame.encodeBuffer(Arrays.copyOfRange(pcm, offset, offset + n), 0, n, output));
    }
    samples += pcm.length / 2;
    return out.toByteArray();
  }

  @Override
  public byte[] finish() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      // LAME cannot finish a stream shorter than one frame (jump3r asserts): pad it with silence.
      if (samples < FRAME_SAMPLES) {
        byte[] silence = new byte[(int) (FRAME_SAMPLES - samples) * 2];
        out.write(output, 0, lame.encodeBuffer(silence, 0, silence.length, output));
      }
      out.write(output, 0, lame.encodeFinish(output));
      return out.toByteArray();
    } finally {
      lame.close();
    }
  }
}
