package dev.ttsapi.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads a 16-bit mono PCM WAV into {@link Pcm}. Tolerates the placeholder sizes that programs
 * writing WAV to a pipe put in the header (espeak-ng writes {@code 0x7FFFF000}): the data chunk
 * ends where the bytes end.
 */
public final class WavDecoder {

  private WavDecoder() {}

  public static Pcm decode(byte[] wav) {
    ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    if (wav.length < 12 || !tag(b, 0).equals("RIFF") || !tag(b, 8).equals("WAVE")) {
      throw new IllegalArgumentException("not a RIFF/WAVE file");
    }
    int sampleRate = -1;
    int pos = 12;
    while (pos + 8 <= wav.length) {
      String id = tag(b, pos);
      long size = Integer.toUnsignedLong(b.getInt(pos + 4));
      int body = pos + 8;
      if (id.equals("fmt ")) {
        int encoding = b.getShort(body) & 0xFFFF;
        int channels = b.getShort(body + 2) & 0xFFFF;
        int bits = b.getShort(body + 14) & 0xFFFF;
        if (encoding != 1 || channels != 1 || bits != 16) {
          throw new IllegalArgumentException(
              "need 16-bit mono PCM, got encoding "
                  + encoding
                  + ", "
                  + channels
                  + " channels, "
                  + bits
                  + " bits");
        }
        sampleRate = b.getInt(body + 4);
      } else if (id.equals("data")) {
        if (sampleRate < 0) {
          throw new IllegalArgumentException("WAV data chunk before its fmt chunk");
        }
        int end = (int) Math.min(wav.length, body + size);
        end -= (end - body) % 2;
        return new Pcm(Arrays.copyOfRange(wav, body, end), sampleRate);
      }
      pos = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1));
    }
    throw new IllegalArgumentException("WAV file without a data chunk");
  }

  private static String tag(ByteBuffer b, int at) {
    byte[] four = new byte[4];
    b.get(at, four);
    return new String(four, java.nio.charset.StandardCharsets.US_ASCII);
  }
}
