package dev.ttsapi.speech;

import de.sciss.jump3r.lowlevel.LameEncoder;
import dev.ttsapi.audio.Pcm;
import dev.ttsapi.audio.WavEncoder;
import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.gagravarr.ogg.OggFile;
import org.gagravarr.ogg.OggPacketWriter;
import org.gagravarr.opus.OpusAudioData;
import org.gagravarr.opus.OpusInfo;
import org.gagravarr.opus.OpusTags;

/**
 * Encodes PCM chunk by chunk, so each chunk's audio can be sent before the next one exists; the
 * stored-audio encoders in {@code audio} need the whole length up front. {@link #encode} returns
 * what is ready to send (possibly nothing), {@link #finish} the tail. One instance per response.
 */
abstract class StreamEncoder {

  /** Bytes to send before any audio (a header), possibly none. */
  byte[] start() throws IOException {
    return new byte[0];
  }

  abstract byte[] encode(Pcm chunk) throws IOException;

  byte[] finish() throws IOException {
    return new byte[0];
  }

  static StreamEncoder of(SpeechFormat format, int sampleRate) {
    return switch (format) {
      case PCM -> new Raw();
      case WAV -> new Wav(sampleRate);
      case MP3 -> new Mp3(sampleRate);
      case OPUS -> new Opus(sampleRate);
    };
  }

  /** Samples as they are. */
  static final class Raw extends StreamEncoder {
    @Override
    byte[] encode(Pcm chunk) {
      return chunk.samples();
    }
  }

  /**
   * WAV cannot know its length before the end, so the header announces the largest a RIFF file can
   * hold (data size 0xFFFFFFFF - 36, as streaming encoders such as ffmpeg do when they cannot seek
   * back); players read until the connection closes. Clients wanting exact sizes use {@code pcm}.
   */
  static final class Wav extends StreamEncoder {
    static final long UNKNOWN_LENGTH = 0xFFFF_FFFFL - 36;
    private final int sampleRate;

    Wav(int sampleRate) {
      this.sampleRate = sampleRate;
    }

    @Override
    byte[] start() {
      return WavEncoder.header(UNKNOWN_LENGTH, sampleRate);
    }

    @Override
    byte[] encode(Pcm chunk) {
      return chunk.samples();
    }
  }

  /** MP3 frames concatenate: one LAME encoder across the chunks, frames sent as they are made. */
  static final class Mp3 extends StreamEncoder {
    private final LameEncoder lame;
    private final byte[] output;
    private final int blockBytes;

    Mp3(int sampleRate) {
      javax.sound.sampled.AudioFormat source =
          new javax.sound.sampled.AudioFormat(sampleRate, 16, 1, true, false);
      lame =
          new LameEncoder(
              source,
              dev.ttsapi.audio.Mp3Encoder.DEFAULT_BITRATE_KBPS,
              LameEncoder.CHANNEL_MODE_MONO,
              LameEncoder.QUALITY_MIDDLE,
              false);
      output = new byte[lame.getMP3BufferSize()];
      blockBytes = lame.getPCMBufferSize() & ~1;
    }

    @Override
    byte[] encode(Pcm chunk) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] samples = chunk.samples();
      for (int offset = 0; offset < samples.length; offset += blockBytes) {
        int n = Math.min(blockBytes, samples.length - offset);
        int encoded =
            lame.encodeBuffer(Arrays.copyOfRange(samples, offset, offset + n), 0, n, output);
        out.write(output, 0, encoded);
      }
      return out.toByteArray();
    }

    @Override
    byte[] finish() {
      try {
        int tail = lame.encodeFinish(output);
        return Arrays.copyOf(output, tail);
      } finally {
        lame.close();
      }
    }
  }

  /**
   * Ogg Opus written page by page: the two header pages first, then each chunk's 20 ms packets
   * flushed as pages of their own, so a player starts on the first chunk. Opus takes 8, 12, 16, 24
   * or 48 kHz: the sample rate is one of those (24 kHz by default).
   */
  static final class Opus extends StreamEncoder {
    private static final int GRANULE_RATE = 48000;
    private static final int BITRATE = 32_000;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final OggPacketWriter writer;
    private final OpusEncoder encoder;
    private final OpusInfo info = new OpusInfo();
    private final OpusTags tags = new OpusTags();
    private final int frameSamples;
    private final byte[] packet = new byte[1275];
    private short[] carry = new short[0];
    private long granule;

    Opus(int sampleRate) {
      try {
        encoder = new OpusEncoder(sampleRate, 1, OpusApplication.OPUS_APPLICATION_VOIP);
      } catch (OpusException e) {
        throw new IllegalArgumentException("Opus takes 8, 12, 16, 24 or 48 kHz: " + sampleRate, e);
      }
      encoder.setBitrate(BITRATE);
      frameSamples = sampleRate / 50;
      info.setNumChannels(1);
      info.setSampleRate(sampleRate);
      info.setPreSkip(0);
      tags.addComment("ENCODER", "tts-api");
      writer = new OggFile(buffer).getPacketWriter();
    }

    @Override
    byte[] start() throws IOException {
      writer.bufferPacket(info.write(), true);
      writer.bufferPacket(tags.write(), true);
      return drain();
    }

    @Override
    byte[] encode(Pcm chunk) throws IOException {
      short[] samples = concat(carry, toShorts(chunk.samples()));
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
    byte[] finish() throws IOException {
      if (carry.length > 0) {
        writeFrame(Arrays.copyOf(carry, frameSamples), carry.length);
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
      granule += (long) realSamples * GRANULE_RATE / info.getSampleRate();
      OpusAudioData data = new OpusAudioData(Arrays.copyOf(packet, length));
      data.setGranulePosition(granule);
      writer.bufferPacket(data.write(), granule);
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

  /** Writes bytes and pushes them to the client at once, so each chunk leaves when it is made. */
  static void send(OutputStream out, byte[] bytes) throws IOException {
    if (bytes.length > 0) {
      out.write(bytes);
      out.flush();
    }
  }
}
