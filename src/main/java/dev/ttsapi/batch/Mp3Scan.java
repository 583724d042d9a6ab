package dev.ttsapi.batch;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Where the audio frames of an MP3 lie and how long they play, found by walking its frame headers
 * (no decoding): a leading ID3v2 tag and a Xing/Info/VBRI frame (which describe the file, not the
 * sound, and would describe the wrong file once joined) are skipped, and the walk stops at the
 * first byte that is not a frame (a trailing ID3v1 tag). Joined end to end, the frames of files of
 * one sample rate and bit rate make one valid MP3.
 *
 * @param skip bytes before the first audio frame
 * @param length bytes of audio frames from there
 * @param samples samples those frames play
 * @param sampleRate their sample rate
 */
record Mp3Scan(long skip, long length, long samples, int sampleRate) {

  private static final int[] MPEG1_KBPS = {
    0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320
  };
  private static final int[] MPEG2_KBPS = {
    0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160
  };
  private static final int[][] RATES = {
    {11025, 12000, 8000}, {}, {22050, 24000, 16000}, {44100, 48000, 32000}
  };

  static Mp3Scan of(InputStream stream) throws IOException {
    InputStream in = new BufferedInputStream(stream);
    byte[] header = new byte[10];
    long skip = 0;
    in.mark(10);
    int read = in.readNBytes(header, 0, 10);
    if (read == 10 && header[0] == 'I' && header[1] == 'D' && header[2] == '3') {
      long tag = 10 + syncsafe(header, 6) + ((header[5] & 0x10) != 0 ? 10 : 0);
      in.skipNBytes(tag - 10);
      skip = tag;
    } else {
      in.reset();
    }
    read = in.readNBytes(header, 0, 4);
    long length = 0;
    long samples = 0;
    int sampleRate = 0;
    boolean first = true;
    byte[] frame = new byte[2048];
    while (read >= 4) {
      int h =
          ((header[0] & 0xFF) << 24)
              | ((header[1] & 0xFF) << 16)
              | ((header[2] & 0xFF) << 8)
              | (header[3] & 0xFF);
      int version = (h >>> 19) & 3;
      int layer = (h >>> 17) & 3;
      int bitrateIndex = (h >>> 12) & 15;
      int rateIndex = (h >>> 10) & 3;
      if ((h >>> 21) != 0x7FF
          || layer != 1
          || version == 1
          || bitrateIndex == 0
          || bitrateIndex == 15
          || rateIndex == 3) {
        break; // not a Layer III frame: the audio has ended
      }
      boolean mpeg1 = version == 3;
      int rate = RATES[version][rateIndex];
      int kbps = (mpeg1 ? MPEG1_KBPS : MPEG2_KBPS)[bitrateIndex];
      int frameLength = (mpeg1 ? 144 : 72) * kbps * 1000 / rate + ((h >>> 9) & 1);
      int body = frameLength - 4;
      if (in.readNBytes(frame, 0, body) < body) {
        break; // a cut-off last frame is left out
      }
      if (first && describesTheFile(frame, body)) {
        skip += frameLength;
      } else {
        length += frameLength;
        samples += mpeg1 ? 1152 : 576;
        sampleRate = rate;
      }
      first = false;
      read = in.readNBytes(header, 0, 4);
    }
    return new Mp3Scan(skip, length, samples, sampleRate);
  }

  /** A Xing, Info or VBRI header in the first frame: it tells players about the file. */
  private static boolean describesTheFile(byte[] frame, int length) {
    for (int i = 0; i + 4 <= Math.min(length, 64); i++) {
      if ((frame[i] == 'X' && frame[i + 1] == 'i' && frame[i + 2] == 'n' && frame[i + 3] == 'g')
          || (frame[i] == 'I' && frame[i + 1] == 'n' && frame[i + 2] == 'f' && frame[i + 3] == 'o')
          || (frame[i] == 'V'
              && frame[i + 1] == 'B'
              && frame[i + 2] == 'R'
              && frame[i + 3] == 'I')) {
        return true;
      }
    }
    return false;
  }

  private static long syncsafe(byte[] b, int offset) {
    return ((b[offset] & 0x7FL) << 21)
        | ((b[offset + 1] & 0x7FL) << 14)
        | ((b[offset + 2] & 0x7FL) << 7)
        | (b[offset + 3] & 0x7FL);
  }
}
