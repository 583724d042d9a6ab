package dev.ttsapi.support;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The threads MaryTTS runs of its own: each sentence it speaks is vocoded on a thread that blocks
 * until its reader has taken every sample, so one still here after its synthesis has ended is
 * leaked for good, with the sentence's parameters (megabytes). Compare with the ones alive before:
 * MaryTTS's power-on self test at start-up leaves one such thread behind itself.
 */
public final class EngineThreads {

  private EngineThreads() {}

  /** MaryTTS vocoder threads alive now. */
  public static Set<Thread> maryVocoders() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(
            e ->
                Arrays.stream(e.getValue())
                    .anyMatch(
                        frame ->
                            frame.getClassName().startsWith("marytts.htsengine.HTSVocoder$")
                                && frame.getMethodName().equals("run")))
        .map(java.util.Map.Entry::getKey)
        .collect(Collectors.toSet());
  }

  /** The MaryTTS vocoder threads alive now and not in {@code before}, with where each one is. */
  public static String describe(Set<Thread> before) {
    return maryVocoders().stream()
        .filter(t -> !before.contains(t))
        .map(t -> t.getName() + " " + Arrays.toString(t.getStackTrace()))
        .collect(Collectors.joining("\n"));
  }
}
