package dev.ttsapi.engine.espeak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechEngineContract;
import dev.ttsapi.engine.Voice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** The real espeak-ng; skipped where it is not installed (CI installs it). */
class EspeakEngineContractTest extends SpeechEngineContract {

  private static final Path BINARY = Path.of("/usr/bin/espeak-ng");

  private EspeakEngine espeak;

  @BeforeAll
  void start() {
    Assumptions.assumeTrue(Files.isExecutable(BINARY), "espeak-ng is not installed");
    espeak = new EspeakEngine(BINARY, EspeakEngine.DEFAULT_TIMEOUT);
  }

  @Override
  protected SpeechEngine engine() {
    return espeak;
  }

  @Override
  protected Voice voice() {
    return espeak.voices().stream().filter(v -> v.name().equals("en-us")).findFirst().orElseThrow();
  }

  /**
   * Each call is an espeak-ng process, which must not outlive it. espeak-ng speaks a sentence in a
   * few milliseconds, faster than any poll, so a process seen running is stopped (SIGSTOP) there: a
   * synthesizer that has not answered yet, for the interrupt to find.
   */
  @Override
  protected CallWatch watchCalls() {
    return new CallWatch() {
      @Override
      public boolean underway() {
        return espeakProcesses().anyMatch(EspeakEngineContractTest::stop);
      }

      @Override
      public void assertAllEnded() {
        assertThat(espeakProcesses().map(ProcessHandle::pid)).as("espeak-ng processes").isEmpty();
      }

      @Override
      public void close() {}
    };
  }

  private static Stream<ProcessHandle> espeakProcesses() {
    return ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith(EspeakEngine.BINARY)).orElse(false));
  }

  private static boolean stop(ProcessHandle process) {
    try {
      return new ProcessBuilder("kill", "-STOP", Long.toString(process.pid())).start().waitFor()
          == 0;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
