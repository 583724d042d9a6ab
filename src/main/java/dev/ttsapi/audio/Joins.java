package dev.ttsapi.audio;

/**
 * Where two chunks of speech meet. A document is spoken as many engine calls whose audio is laid
 * end to end; if one chunk ends on a sample far from zero and the next starts on another, the jump
 * between them is a click. Every chunk therefore starts and ends at zero: its first and last {@link
 * #FADE_MS} milliseconds are faded in and out in place (a raised-cosine ramp). Nothing is added,
 * overlapped or cut, so a chunk keeps its sample count and whatever counts time by summing chunk
 * lengths (sentence timings, SSML marks) stays exact. The ramps fall on the engines' own silence at
 * the ends of an utterance, or on the 10 ms an SSML break keeps of it, so no word is clipped.
 */
public final class Joins {

  /** Length of each ramp: far shorter than a phone, long enough that no edge is a step. */
  public static final double FADE_MS = 5.0;

  private Joins() {}

  /**
   * The chunk with its ends faded to (next to) zero, same length and rate; a chunk shorter than two
   * ramps is faded over half its length at each end.
   */
  public static Pcm fadeEdges(Pcm pcm) {
    int n = pcm.sampleCount();
    int ramp = Math.min((int) Math.round(FADE_MS * pcm.sampleRate() / 1000), n / 2);
    if (ramp == 0) {
      return pcm;
    }
    byte[] out = pcm.samples().clone();
    for (int i = 0; i < ramp; i++) {
      // near 0 at the outermost sample (a thousandth at 16 kHz: the jump to the next chunk is
      // inaudible), rising to just under 1 where the ramp meets the untouched part
      double gain = 0.5 - 0.5 * Math.cos(Math.PI * (i + 1) / (ramp + 1));
      scale(out, i, gain);
      scale(out, n - 1 - i, gain);
    }
    return new Pcm(out, pcm.sampleRate());
  }

  private static void scale(byte[] b, int i, double gain) {
    int v = (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8));
    int scaled = (int) Math.round(v * gain);
    b[2 * i] = (byte) scaled;
    b[2 * i + 1] = (byte) (scaled >> 8);
  }
}
