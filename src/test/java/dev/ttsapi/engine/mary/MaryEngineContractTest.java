package dev.ttsapi.engine.mary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechEngineContract;
import dev.ttsapi.support.EngineThreads;
import java.util.Set;

/** MaryTTS in process, started once per JVM. */
class MaryEngineContractTest extends SpeechEngineContract {

  @Override
  protected SpeechEngine engine() {
    return SharedMaryEngine.get();
  }

  /** MaryTTS vocodes each sentence on a thread of its own, which must not outlive the call. */
  @Override
  protected CallWatch watchCalls() {
    Set<Thread> before = EngineThreads.maryVocoders();
    return new CallWatch() {
      @Override
      public boolean underway() {
        return !before.containsAll(EngineThreads.maryVocoders());
      }

      @Override
      public void assertAllEnded() {
        assertThat(EngineThreads.maryVocoders())
            .as(() -> "MaryTTS vocoder threads left: " + EngineThreads.describe(before))
            .isSubsetOf(before);
      }

      @Override
      public void close() {}
    };
  }
}
