package dev.ttsapi.audio;

/** Walks the MPEG audio Layer III frames of an MP3 to measure it without a decoder. */
record Mp3Frames(int frames, int sampleRate, double durationSeconds) {

  private static final int[] MPEG1_KBPS = {
    0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320
  };
  private static final int[] MPEG2_KBPS = {
    0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160
  };

  static Mp3Frames parse(byte[] mp3) {
    int pos = 0;
    int frames = 0;
    int rate = 0;
    long samples = 0;
    while (pos + 4 <= mp3.length) {
      int h =
          ((mp3[pos] & 0xFF) << 24)
              | ((mp3[pos + 1] & 0xFF) << 16)
              | ((mp3[pos + 2] & 0xFF) << 8)
              | (mp3[pos + 3] & 0xFF);
      if ((h >>> 21) != 0x7FF) {
        throw new AssertionError("no MP3 frame sync at byte " + pos + " of " + mp3.length);
      }
      int version = (h >>> 19) & 3; // 3 MPEG1, 2 MPEG2, 0 MPEG2.5
      int layer = (h >>> 17) & 3; // 1 = Layer III
      int bitrateIndex = (h >>> 12) & 15;
      int rateIndex = (h >>> 10) & 3;
      int padding = (h >>> 9) & 1;
      if (layer != 1 || version == 1 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
        throw new AssertionError("bad MP3 frame header at byte " + pos);
      }
      boolean mpeg1 = version == 3;
      int[][] rates = {{11025, 12000, 8000}, {}, {22050, 24000, 16000}, {44100, 48000, 32000}};
      rate = rates[version][rateIndex];
      int kbps = (mpeg1 ? MPEG1_KBPS : MPEG2_KBPS)[bitrateIndex];
      int length = (mpeg1 ? 144 : 72) * kbps * 1000 / rate + padding;
      samples += mpeg1 ? 1152 : 576;
      frames++;
      pos += length;
    }
    return new Mp3Frames(frames, rate, rate == 0 ? 0 : (double) samples / rate);
  }
}
