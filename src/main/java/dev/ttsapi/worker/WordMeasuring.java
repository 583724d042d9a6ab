package dev.ttsapi.worker;

import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.Voice;
import dev.ttsapi.engine.WordTiming;
import java.util.ArrayList;
import java.util.List;

/** Which engines measure their words, and moving those words along with their PCM. */
final class WordMeasuring {

  /**
   * Whether an engine's class overrides {@code synthesizeTimed}. Asked instead of calling it on
   * every engine, because the default goes through {@code synthesize} without the usage report: an
   * engine billed by the token (Gemini) would be charged its characters instead.
   */
  private static final ClassValue<Boolean> MEASURES =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          try {
            return type.getMethod(
                        "synthesizeTimed", String.class, Voice.class, SpeechSettings.class)
                    .getDeclaringClass()
                != SpeechEngine.class;
          } catch (NoSuchMethodException e) {
            return false;
          }
        }
      };

  private WordMeasuring() {}

  static boolean measuresWords(SpeechEngine engine) {
    return MEASURES.get(engine.getClass());
  }

  /**
   * Words measured in the engine's PCM ({@code engineSamples} long), moved to the PCM heard:
   * resampled to {@code resampledSamples}, then {@code leadCut} samples cut before the words,
   * {@code outSamples} left.
   */
  static List<WordTiming> moved(
      List<WordTiming> words,
      int engineSamples,
      int resampledSamples,
      int leadCut,
      int outSamples) {
    if (words.isEmpty() || engineSamples == 0) {
      return List.of();
    }
    double ratio = (double) resampledSamples / engineSamples;
    List<WordTiming> out = new ArrayList<>(words.size());
    for (WordTiming w : words) {
      int start = Math.clamp(Math.round(w.startSample() * ratio) - leadCut, 0, outSamples);
      int end = Math.clamp(Math.round(w.endSample() * ratio) - leadCut, start, outSamples);
      out.add(new WordTiming(w.charStart(), w.charEnd(), start, end));
    }
    return out;
  }
}
