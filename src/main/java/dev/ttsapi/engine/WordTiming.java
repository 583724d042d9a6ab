package dev.ttsapi.engine;

/**
 * Where one word of a chunk is heard, as the engine measured it: the word's characters in the text
 * the engine was given and its samples in the PCM the engine returned (after any speed or pitch the
 * engine applied, so the samples are those of the audio a listener hears).
 *
 * @param charStart index of the word's first character in the chunk's text
 * @param charEnd index just past its last character
 * @param startSample first sample of the word in the chunk's PCM
 * @param endSample sample just past the word's end
 */
public record WordTiming(int charStart, int charEnd, int startSample, int endSample) {

  public WordTiming {
    if (charStart < 0 || charEnd < charStart) {
      throw new IllegalArgumentException("bad character span " + charStart + ".." + charEnd);
    }
    if (startSample < 0 || endSample < startSample) {
      throw new IllegalArgumentException("bad sample span " + startSample + ".." + endSample);
    }
  }
}
