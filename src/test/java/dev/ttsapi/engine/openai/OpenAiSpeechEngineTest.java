package dev.ttsapi.engine.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.engine.FakeHttpServer;
import dev.ttsapi.engine.FakeHttpServer.Reply;
import dev.ttsapi.engine.Gender;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.SynthesisException;
import dev.ttsapi.engine.SynthesisUsage;
import dev.ttsapi.engine.Voice;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAI-compatible engine driven through the real openai-java SDK against a local {@code
 * /v1/audio/speech}.
 */
class OpenAiSpeechEngineTest {

  private static final String TEXT = "Hello from a fake speech server.";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final List<String> VOICES =
      List.of("alloy:neutral", "ash:male", "coral:female", "nova:female", "onyx:male");

  private final FakeHttpServer server = FakeHttpServer.start();
  private final List<OpenAiSpeechEngine> engines = new ArrayList<>();

  @AfterEach
  void stop() {
    engines.forEach(OpenAiSpeechEngine::close);
    server.close();
  }

  @Test
  void sends_model_voice_text_format_and_speed_and_returns_the_pcm() throws Exception {
    byte[] pcm = tone(2400);
    server.enqueue(Reply.bytes(200, "audio/pcm", pcm));
    OpenAiSpeechEngine openai = engine("sk-test");
    List<SynthesisUsage> usage = new ArrayList<>();

    Pcm result =
        openai.synthesize(TEXT, voice(openai, "coral"), new SpeechSettings(1.5, 0), usage::add);

    assertThat(result.samples()).isEqualTo(pcm);
    assertThat(result.sampleRate()).isEqualTo(24000);
    assertThat(usage).containsExactly(SynthesisUsage.ofCharacters(TEXT));
    FakeHttpServer.Recorded request = server.requests().getFirst();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/v1/audio/speech");
    assertThat(request.header("authorization")).isEqualTo("Bearer sk-test");
    JsonNode body = JSON.readTree(request.body());
    assertThat(body.path("model").asString()).isEqualTo("gpt-4o-mini-tts");
    assertThat(body.path("voice").asString()).isEqualTo("coral");
    assertThat(body.path("input").asString()).isEqualTo(TEXT);
    assertThat(body.path("response_format").asString()).isEqualTo("pcm");
    assertThat(body.path("speed").asDouble()).isEqualTo(1.5);
    assertThat(openai.model()).isEqualTo("gpt-4o-mini-tts");
  }

  @Test
  void a_server_error_is_retried() {
    server.enqueue(
        Reply.json(500, "{\"error\": {\"message\": \"boom\", \"type\": \"server_error\"}}")
            .withHeader("retry-after-ms", "10"),
        Reply.bytes(200, "audio/pcm", tone(480)));

    Pcm result =
        engine("sk-test").synthesize(TEXT, voice(engine("k"), "alloy"), SpeechSettings.NORMAL);

    assertThat(result.sampleCount()).isEqualTo(480);
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void a_rejected_key_is_a_clear_synthesis_error_without_retries() {
    server.enqueue(
        Reply.json(
            401,
            """
            {"error": {"message": "Incorrect API key provided: sk-bad.", "type": "invalid_request_error",
              "param": null, "code": "invalid_api_key"}}
            """));
    OpenAiSpeechEngine openai = engine("sk-bad");

    assertThatThrownBy(() -> openai.synthesize(TEXT, voice(openai, "alloy"), SpeechSettings.NORMAL))
        .isInstanceOf(SynthesisException.class)
        .hasMessageContaining("rejected the API key (HTTP 401)")
        .hasMessageContaining("OPENAI_API_KEY");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void voices_come_from_configuration_with_their_genders() {
    OpenAiSpeechEngine openai = engine("sk-test");

    assertThat(openai.voices())
        .containsExactly(
            Voice.of("openai", "alloy", "en-US", Gender.NEUTRAL, 24000),
            Voice.of("openai", "ash", "en-US", Gender.MALE, 24000),
            Voice.of("openai", "coral", "en-US", Gender.FEMALE, 24000),
            Voice.of("openai", "nova", "en-US", Gender.FEMALE, 24000),
            Voice.of("openai", "onyx", "en-US", Gender.MALE, 24000));
    assertThat(
            OpenAiSpeechEngine.parseVoices(List.of("af_bella", " am_adam:male "), "en-us", 24000))
        .containsExactly(
            Voice.of("openai", "af_bella", "en-US", Gender.NEUTRAL, 24000),
            Voice.of("openai", "am_adam", "en-US", Gender.MALE, 24000));
  }

  @Test
  void an_unknown_voice_is_refused_before_any_call() {
    OpenAiSpeechEngine openai = engine("sk-test");

    assertThatThrownBy(
            () ->
                openai.synthesize(
                    TEXT,
                    Voice.of("openai", "nobody", "en-US", Gender.MALE, 24000),
                    SpeechSettings.NORMAL))
        .isInstanceOf(SynthesisException.class)
        .hasMessageContaining("no voice 'openai:nobody'");
    assertThat(server.requestCount()).isZero();
  }

  private OpenAiSpeechEngine engine(String key) {
    OpenAiSpeechEngine engine =
        new OpenAiSpeechEngine(
            new OpenAiEngineProperties(
                server.url() + "/v1",
                key,
                "gpt-4o-mini-tts",
                VOICES,
                "en-US",
                24000,
                Duration.ofSeconds(10),
                2));
    engines.add(engine);
    return engine;
  }

  private static Voice voice(OpenAiSpeechEngine engine, String name) {
    return engine.voices().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
  }

  private static byte[] tone(int samples) {
    ByteBuffer b = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < samples; i++) {
      b.putShort((short) (8000 * Math.sin(2 * Math.PI * 220 * i / 24000.0)));
    }
    return b.array();
  }
}
