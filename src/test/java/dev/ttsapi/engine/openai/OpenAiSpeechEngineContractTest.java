package dev.ttsapi.engine.openai;

import dev.ttsapi.engine.FakeHttpServer;
import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechEngineContract;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * The OpenAI-compatible engine, through the openai-java SDK, against a fake of OpenAI's speech
 * endpoint ({@link FakeOpenAiSpeech}), which applies the speed itself as OpenAI does.
 */
class OpenAiSpeechEngineContractTest extends SpeechEngineContract {

  private final FakeHttpServer server =
      FakeHttpServer.start().answerWith(FakeOpenAiSpeech::speaking);
  private final OpenAiSpeechEngine openai =
      new OpenAiSpeechEngine(
          new OpenAiEngineProperties(
              server.url() + "/v1",
              "sk-test",
              "gpt-4o-mini-tts",
              List.of("alloy:neutral", "coral:female", "onyx:male"),
              "en-US",
              FakeOpenAiSpeech.SAMPLE_RATE,
              Duration.ofSeconds(60),
              2));

  @AfterAll
  void stop() {
    openai.close();
    server.close();
  }

  @Override
  protected SpeechEngine engine() {
    return openai;
  }

  @Override
  protected CallWatch watchCalls() {
    return answersHeldBy(server);
  }
}
