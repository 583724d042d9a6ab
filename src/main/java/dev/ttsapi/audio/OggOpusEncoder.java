package dev.ttsapi.audio;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;
import org.gagravarr.opus.OpusAudioData;
import org.gagravarr.opus.OpusFile;
import org.gagravarr.opus.OpusInfo;
import org.gagravarr.opus.OpusTags;

/**
 * Ogg Opus (RFC 7845), pure Java: Concentus encodes 20 ms frames, vorbis-java writes the pages.
 * Opus takes 8, 12, 16, 24 or 48 kHz; other rates are resampled to 48 kHz block by block.
 */
public final class OggOpusEncoder implements AudioEncoder {

  static final Set<Integer> OPUS_RATES = Set.of(8000, 12000, 16000, 24000, 48000);
  private static final int GRANULE_RATE = 48000;
  private static final int MAX_PACKET = 1275;
  private static final int BITRATE = 32_000;

  @Override
  public AudioFormat format() {
    return AudioFormat.OGG;
  }

  @Override
  public void encode(InputStream pcm, long pcmBytes, int sampleRate, OutputStream out)
      throws IOException {
    int rate = OPUS_RATES.contains(sampleRate) ? sampleRate : GRANULE_RATE;
    int frameSamples = rate / 50; // 20 ms
    OpusEncoder encoder;
    try {
      encoder = new OpusEncoder(rate, 1, OpusApplication.OPUS_APPLICATION_VOIP);
    } catch (OpusException e) {
      throw new IOException("Opus encoder refused " + rate + " Hz", e);
    }
    encoder.setBitrate(BITRATE);
    OpusInfo info = new OpusInfo();
    info.setNumChannels(1);
    info.setSampleRate(sampleRate);
    info.setPreSkip(0);
    OpusTags tags = new OpusTags();
    tags.addComment("ENCODER", "tts-api");
    OpusFile file = new OpusFile(out, info, tags);
    // Read whole 20 ms frames of the input rate; resample each block when the rate is not Opus's.
    int inputFrameBytes = sampleRate / 50 * 2;
    byte[] block = new byte[inputFrameBytes * 50]; // one second at a time
    short[] frame = new short[frameSamples];
    byte[] packet = new byte[MAX_PACKET];
    long granule = 0;
    long remaining = pcmBytes;
    short[] carry = new short[0];
    while (remaining > 0) {
      int wanted = (int) Math.min(block.length, remaining);
      int read = pcm.readNBytes(block, 0, wanted);
      if (read < wanted) {
        throw new java.io.EOFException(
            "PCM ended after " + (pcmBytes - remaining + read) + " bytes");
      }
      remaining -= read;
      Pcm piece = new Pcm(java.util.Arrays.copyOf(block, read - read % 2), sampleRate);
      short[] samples = concat(carry, toShorts(Resampler.resample(piece, rate).samples()));
      int offset = 0;
      boolean last = remaining == 0;
      while (samples.length - offset >= frameSamples || (last && offset < samples.length)) {
        int n = Math.min(frameSamples, samples.length - offset);
        java.util.Arrays.fill(frame, (short) 0);
        System.arraycopy(samples, offset, frame, 0, n);
        offset += n;
        int length;
        try {
          length = encoder.encode(frame, 0, frameSamples, packet, 0, packet.length);
        } catch (OpusException e) {
          throw new IOException("Opus encoding failed", e);
        }
        granule += (long) n * GRANULE_RATE / rate;
        OpusAudioData data = new OpusAudioData(java.util.Arrays.copyOf(packet, length));
        data.setGranulePosition(granule);
        file.writeAudioData(data);
      }
      carry = java.util.Arrays.copyOfRange(samples, offset, samples.length);
    }
    file.close();
  }

  private static short[] toShorts(byte[] bytes) {
    short[] s = new short[bytes.length / 2];
    java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
    return s;
  }

  private static short[] concat(short[] a, short[] b) {
    short[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
