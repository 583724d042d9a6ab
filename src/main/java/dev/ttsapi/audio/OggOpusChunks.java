package dev.ttsapi.audio;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Set;
import org.gagravarr.ogg.OggFile;
import org.gagravarr.ogg.OggPacketWriter;
import org.gagravarr.opus.OpusAudioData;
import org.gagravarr.opus.OpusInfo;
import org.gagravarr.opus.OpusTags;

/**
 * Ogg Opus (RFC 7845), pure Java: Concentus encodes 20 ms frames at 32 kbit/s, vorbis-java writes
 * the pages. The two header pages come first, then each chunk's packets are flushed as pages of
 * their own, so a player starts on the first chunk. Opus takes 8, 12, 16, 24 or 48 kHz; other rates
 * are resampled to 48 kHz chunk by chunk (the header still names the input's rate, as RFC 7845
 * wants).
 */
final class OggOpusChunks extends ChunkEncoder {

  static final Set<Integer> OPUS_RATES = Set.of(8000, 12000, 16000, 24000, 48000);
  private static final int GRANULE_RATE = 48000;
  private static final int MAX_PACKET = 1275;
  private static final int BITRATE = 32_000;

  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final OggPacketWriter writer;
  private final OpusEncoder encoder;
  private final OpusInfo info = new OpusInfo();
  private final OpusTags tags = new OpusTags();
  private final int rate;
  private final int frameSamples;
  private final byte[] packet = new byte[MAX_PACKET];
  private short[] carry = new short[0];
  private long granule;

  /**
   * The newest packet, held back until the next one (or the end) so that the stream ends on a
   * packet of audio: closing a stream with nothing buffered writes an empty packet, which decoders
   * take for a lost frame and fill with 120 ms of made-up sound.
   */
  private OpusAudioData newest;

  OggOpusChunks(int sampleRate) {
    rate = OPUS_RATES.contains(sampleRate) ? sampleRate : GRANULE_RATE;
    try {
      encoder = new OpusEncoder(rate, 1, OpusApplication.OPUS_APPLICATION_VOIP);
    } catch (OpusException e) {
      throw new IllegalArgumentException("Opus encoder refused " + rate + " Hz", e);
    }
    encoder.setBitrate(BITRATE);
    frameSamples = rate / 50; // 20 ms
    info.setNumChannels(1);
    info.setSampleRate(sampleRate);
    info.setPreSkip(0);
    tags.addComment("ENCODER", "tts-api");
    writer = new OggFile(buffer).getPacketWriter();
  }

  @Override
  public byte[] start() throws IOException {
    writer.bufferPacket(info.write(), true);
    writer.bufferPacket(tags.write(), true);
    return drain();
  }

  @Override
  public byte[] encode(Pcm chunk) throws IOException {
    Pcm atRate = chunk.sampleRate() == rate ? chunk : Resampler.resample(chunk, rate);
    short[] samples = concat(carry, toShorts(atRate.samples()));
    int offset = 0;
    while (samples.length - offset >= frameSamples) {
      writeFrame(Arrays.copyOfRange(samples, offset, offset + frameSamples), frameSamples);
      offset += frameSamples;
    }
    carry = Arrays.copyOfRange(samples, offset, samples.length);
    writer.flush();
    return drain();
  }

  @Override
  public byte[] finish() throws IOException {
    if (carry.length > 0) {
      writeFrame(Arrays.copyOf(carry, frameSamples), carry.length);
    }
    if (newest != null) {
      writer.bufferPacket(newest.write(), newest.getGranulePosition());
    }
    writer.close();
    return drain();
  }

  private void writeFrame(short[] frame, int realSamples) throws IOException {
    int length;
    try {
      length = encoder.encode(frame, 0, frameSamples, packet, 0, packet.length);
    } catch (OpusException e) {
      throw new IOException("Opus encoding failed", e);
    }
    granule += (long) realSamples * GRANULE_RATE / rate;
    OpusAudioData data = new OpusAudioData(Arrays.copyOf(packet, length));
    data.setGranulePosition(granule);
    if (newest != null) {
      writer.bufferPacket(newest.write(), newest.getGranulePosition());
    }
    newest = data;
  }

  private byte[] drain() {
    byte[] bytes = buffer.toByteArray();
    buffer.reset();
    return bytes;
  }

  private static short[] toShorts(byte[] bytes) {
    short[] s = new short[bytes.length / 2];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
    return s;
  }

  private static short[] concat(short[] a, short[] b) {
    short[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
