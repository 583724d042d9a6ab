package dev.ttsapi.engine.espeak;

import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.Voice;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * espeak-ng through libespeak-ng against one process per call, on one short sentence: the time of
 * one synthesis (median of the runs, one caller) and sentences per second from two callers at once.
 * Run by {@code bench/espeak-library.sh}; not a test.
 */
public final class EspeakLibraryBench {

  private static final String SENTENCE = "Hello world, this is a test.";

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    Duration window = Duration.ofSeconds(args.length > 1 ? Integer.parseInt(args[1]) : 5);
    Path binary = EspeakEngine.findOnPath().orElseThrow();
    EspeakEngine process = new EspeakEngine(binary, EspeakEngine.DEFAULT_TIMEOUT);
    EspeakEngine library =
        EspeakEngine.throughLibrary(
            binary, LibespeakPool.DEFAULT_LIBRARY, EspeakEngine.DEFAULT_TIMEOUT, 4);
    System.out.printf(
        "machine: %d processors, load average before %.2f%n",
        Runtime.getRuntime().availableProcessors(), loadAverage());
    for (EspeakEngine engine : List.of(process, library)) {
      String name = engine.throughLibrary() ? "library" : "process";
      Voice voice =
          engine.voices().stream().filter(v -> v.name().equals("en-us")).findFirst().orElseThrow();
      for (int i = 0; i < 20; i++) {
        engine.synthesize(SENTENCE, voice, SpeechSettings.NORMAL); // warm-up
      }
      double[] millis = new double[runs];
      for (int i = 0; i < runs; i++) {
        long start = System.nanoTime();
        engine.synthesize(SENTENCE, voice, SpeechSettings.NORMAL);
        millis[i] = (System.nanoTime() - start) / 1e6;
      }
      Arrays.sort(millis);
      System.out.printf(
          "%s: one short sentence p50 %.2f ms, p90 %.2f ms (%d runs)%n",
          name, millis[runs / 2], millis[runs * 9 / 10], runs);
      System.out.printf(
          "%s: 2 callers at once: %.1f sentences/s over %d s%n",
          name, throughput(engine, voice, 2, window), window.toSeconds());
    }
    System.out.printf("load average after %.2f%n", loadAverage());
    System.exit(0);
  }

  private static double throughput(EspeakEngine engine, Voice voice, int threads, Duration window)
      throws InterruptedException {
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + window.toNanos();
    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      callers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (System.nanoTime() < end) {
                      engine.synthesize(SENTENCE, voice, SpeechSettings.NORMAL);
                      done.incrementAndGet();
                    }
                  }));
    }
    for (Thread caller : callers) {
      caller.join();
    }
    return done.get() / (window.toNanos() / 1e9);
  }

  private static double loadAverage() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os.getSystemLoadAverage();
  }
}
