package dev.ttsapi.engine.gemini;

import dev.ttsapi.engine.FakeHttpServer;
import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechEngineContract;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;

/** The Gemini engine, through the GenAI SDK, against a fake of Gemini TTS ({@link FakeGemini}). */
class GeminiEngineContractTest extends SpeechEngineContract {

  private final FakeHttpServer server = FakeHttpServer.start().answerWith(FakeGemini::speaking);
  private final GeminiEngine gemini =
      new GeminiEngine(
          new GeminiProperties(
              "test-key",
              "gemini-2.5-flash-preview-tts",
              server.url(),
              "en-US",
              Duration.ofSeconds(60),
              4,
              Duration.ofMillis(10),
              Duration.ofMillis(100),
              Duration.ofSeconds(5),
              Duration.ofMinutes(15),
              new GeminiProperties.CircuitBreaker(5, Duration.ofMinutes(1)),
              new GeminiProperties.Concurrency(4, 16)),
          Clock.systemUTC());

  @AfterAll
  void stop() {
    gemini.close();
    server.close();
  }

  @Override
  protected SpeechEngine engine() {
    return gemini;
  }

  @Override
  protected CallWatch watchCalls() {
    return answersHeldBy(server);
  }
}
