package dev.ttsapi.engine;

import dev.ttsapi.audio.Pcm;
import java.util.List;

/**
 * A chunk's audio with the word timings its engine measured. {@code words} is empty when the engine
 * cannot tell where its words are (a remote engine, for one); the caller then estimates them inside
 * the chunk and says so.
 */
public record TimedPcm(Pcm pcm, List<WordTiming> words) {

  public TimedPcm {
    words = List.copyOf(words);
  }

  public static TimedPcm untimed(Pcm pcm) {
    return new TimedPcm(pcm, List.of());
  }

  public boolean measured() {
    return !words.isEmpty();
  }
}
