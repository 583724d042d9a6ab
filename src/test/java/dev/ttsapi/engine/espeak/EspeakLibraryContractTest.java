package dev.ttsapi.engine.espeak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechEngineContract;
import dev.ttsapi.engine.Voice;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * espeak-ng through libespeak-ng, under the same contract as its process; skipped where the library
 * is not installed (CI installs espeak-ng, which brings it).
 */
class EspeakLibraryContractTest extends SpeechEngineContract {

  private EspeakEngine espeak;

  @BeforeAll
  void load() {
    Assumptions.assumeTrue(
        Files.isReadable(LibespeakPool.DEFAULT_LIBRARY), "libespeak-ng is not installed");
    espeak =
        EspeakEngine.throughLibrary(
            Path.of("/usr/bin/espeak-ng"),
            LibespeakPool.DEFAULT_LIBRARY,
            EspeakEngine.DEFAULT_TIMEOUT,
            4);
  }

  @AfterAll
  void unload() {
    if (espeak != null) {
      espeak.close();
    }
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
   * A synthesis runs on the caller's thread inside the library; under way while a copy is in use,
   * ended when every copy is back (reloaded).
   */
  @Override
  protected CallWatch watchCalls() {
    return new CallWatch() {
      @Override
      public boolean underway() {
        return espeak.librarySynthesesUnderway() > 0;
      }

      @Override
      public void assertAllEnded() {
        assertThat(espeak.librarySynthesesUnderway()).as("syntheses under way").isZero();
      }

      @Override
      public void close() {}
    };
  }
}
