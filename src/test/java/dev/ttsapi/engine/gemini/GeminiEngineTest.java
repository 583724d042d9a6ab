package dev.ttsapi.engine.gemini;

import static dev.ttsapi.engine.gemini.FakeGemini.audio;
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
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Gemini engine driven through the real GenAI SDK against a local server that speaks Gemini's
 * wire protocol ({@code POST /v1beta/models/<model>:generateContent}).
 */
class GeminiEngineTest {

  private static final String KEY = "test-key";
  private static final String TEXT = "Xin chào, đây là một bài kiểm tra.";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final FakeHttpServer server = FakeHttpServer.start();
  private final List<GeminiEngine> engines = new ArrayList<>();
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now;
        }

        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }
      };

  @AfterEach
  void stop() {
    engines.forEach(GeminiEngine::close);
    server.close();
  }

  @Test
  void sends_the_text_and_voice_and_returns_the_pcm_and_token_usage() throws Exception {
    byte[] pcm = tone(4800);
    server.enqueue(audio(pcm));
    GeminiEngine gemini = engine(4, 5);
    List<SynthesisUsage> usage = new ArrayList<>();

    Pcm result = gemini.synthesize(TEXT, voice("Kore"), SpeechSettings.NORMAL, usage::add);

    assertThat(result.samples()).isEqualTo(pcm);
    assertThat(result.sampleRate()).isEqualTo(24000);
    assertThat(usage)
        .containsExactly(new SynthesisUsage(TEXT.codePointCount(0, TEXT.length()), 11, 150));
    FakeHttpServer.Recorded request = server.requests().getFirst();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path())
        .isEqualTo("/v1beta/models/gemini-2.5-flash-preview-tts:generateContent");
    assertThat(request.header("x-goog-api-key")).isEqualTo(KEY);
    JsonNode body = JSON.readTree(request.body());
    assertThat(body.at("/contents/0/parts/0/text").asString()).isEqualTo(TEXT);
    JsonNode config = body.path("generationConfig");
    assertThat(config.path("responseModalities").size()).isEqualTo(1);
    assertThat(config.at("/responseModalities/0").asString()).isEqualTo("AUDIO");
    assertThat(config.at("/speechConfig/voiceConfig/prebuiltVoiceConfig/voiceName").asString())
        .isEqualTo("Kore");
    assertThat(gemini.model()).isEqualTo("gemini-2.5-flash-preview-tts");
  }

  @Test
  void lists_the_thirty_prebuilt_voices_with_their_genders() {
    GeminiEngine gemini = engine(4, 5);

    assertThat(gemini.voices()).hasSize(30);
    assertThat(gemini.voices())
        .contains(
            Voice.of("gemini", "Kore", "en-US", Gender.FEMALE, 24000),
            Voice.of("gemini", "Puck", "en-US", Gender.MALE, 24000),
            Voice.of("gemini", "Zephyr", "en-US", Gender.FEMALE, 24000),
            Voice.of("gemini", "Charon", "en-US", Gender.MALE, 24000));
    assertThat(gemini.voices().stream().filter(v -> v.gender() == Gender.FEMALE)).hasSize(14);
  }

  @Test
  void waits_the_retry_delay_a_429_asks_for_then_succeeds_and_halves_concurrency() {
    server.enqueue(
        Reply.json(429, rateLimited("GenerateRequestsPerMinutePerProjectPerModel", "0.2s")),
        audio(tone(480)));
    GeminiEngine gemini = engine(4, 5);
    long started = System.nanoTime();

    Pcm result = gemini.synthesize(TEXT, voice("Kore"), SpeechSettings.NORMAL);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(ms(200));
    assertThat(result.sampleCount()).isEqualTo(480);
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(gemini.concurrencyLimit())
        .isEqualTo(2); // 4 halved; one success is not yet a limit's worth
  }

  @Test
  void server_errors_are_retried_with_backoff() {
    server.enqueue(
        Reply.json(500, status(500, "INTERNAL", "An internal error has occurred.")),
        Reply.json(503, status(503, "UNAVAILABLE", "The model is overloaded.")),
        audio(tone(480)));

    Pcm result = engine(4, 5).synthesize(TEXT, voice("Kore"), SpeechSettings.NORMAL);

    assertThat(result.sampleCount()).isEqualTo(480);
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void answer_without_audio_is_retried() {
    server.enqueue(Reply.json(200, noAudio("OTHER")), audio(tone(480)));

    Pcm result = engine(4, 5).synthesize(TEXT, voice("Kore"), SpeechSettings.NORMAL);

    assertThat(result.sampleCount()).isEqualTo(480);
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void answers_without_audio_fail_clearly_after_the_last_attempt() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(Reply.json(200, noAudio("OTHER")));
    }
    GeminiEngine gemini = engine(3, 5);

    assertThatThrownBy(() -> gemini.synthesize(TEXT, voice("Kore"), SpeechSettings.NORMAL))
        .isInstanceOf(SynthesisException.class)
        .hasMessageContaining("after 3 attempts")
        .hasMessageContaining("without audio (finishReason OTHER)");
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void exhausted_daily_quota_fails_fast_and_pauses_calls() {
    server.enqueue(
        Reply.json(429, rateLimited("GenerateRequestsPerDayPerProjectPerModel-FreeTier", "0.2s")),
        audio(tone(480)));
    GeminiEngine gemini = engine(4, 5);

    assertThatThrownBy(() -> gemini.synthesize(TEXT, voice("Kore"), SpeechSettings.NORMAL))
        .isInstanceOf(SynthesisException.class)
        .hasMessageContaining("daily quota is exhausted")
        .hasMessageContaining("GenerateRequestsPerDayPerProjectPerModel-FreeTier");
    assertThatThrownBy(() -> gemini.synthesize(TEXT, voice("Kore"), SpeechSettings.NORMAL))
        .isInstanceOf(SynthesisException.class)
        .hasMessageContaining("paused until 2026-01-01T00:15:00Z");
    assertThat(server.requestCount()).isEqualTo(1);

    now = now.plus(Duration.ofMinutes(15));
    assertThat(gemini.synthesize(TEXT, voice("Kore"), SpeechSettings.NORMAL).sampleCount())
        .isEqualTo(480);
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void circuit_breaker_opens_after_repeated_failures_and_then_spares_the_server() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(Reply.json(503, status(503, "UNAVAILABLE", "The model is overloaded.")));
    }
    GeminiEngine gemini = engine(3, 3);

    assertThatThrownBy(() -> gemini.synthesize(TEXT, voice("Kore"), SpeechSettings.NORMAL))
        .isInstanceOf(SynthesisException.class)
        .hasMessageContaining("after 3 attempts")
        .hasMessageContaining("HTTP 503 UNAVAILABLE");
    assertThat(gemini.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);

    server.enqueue(audio(tone(480)));
    assertThatThrownBy(() -> gemini.synthesize(TEXT, voice("Kore"), SpeechSettings.NORMAL))
        .isInstanceOf(SynthesisException.class)
        .hasMessageContaining("circuit breaker open");
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void rejected_key_fails_at_once() {
    server.enqueue(Reply.json(400, status(400, "INVALID_ARGUMENT", "API key not valid.")));
    GeminiEngine gemini = engine(4, 5);

    assertThatThrownBy(() -> gemini.synthesize(TEXT, voice("Kore"), SpeechSettings.NORMAL))
        .isInstanceOf(SynthesisException.class)
        .hasMessageContaining("API key not valid");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void backoff_doubles_with_jitter_up_to_the_maximum() {
    Duration base = ms(100);
    Duration max = ms(1000);

    assertThat(GeminiEngine.backoff(1, base, max, 0.0)).isEqualTo(ms(50));
    assertThat(GeminiEngine.backoff(1, base, max, 1.0)).isEqualTo(ms(100));
    assertThat(GeminiEngine.backoff(3, base, max, 1.0)).isEqualTo(ms(400));
    assertThat(GeminiEngine.backoff(3, base, max, 0.5)).isEqualTo(ms(300));
    assertThat(GeminiEngine.backoff(10, base, max, 1.0)).isEqualTo(max);
  }

  @Test
  void reads_the_sample_rate_from_the_mime_type() {
    assertThat(GeminiEngine.sampleRate("audio/L16;codec=pcm;rate=24000")).isEqualTo(24000);
    assertThat(GeminiEngine.sampleRate("audio/L16;rate=16000")).isEqualTo(16000);
    assertThat(GeminiEngine.sampleRate("audio/L16")).isEqualTo(24000);
  }

  private GeminiEngine engine(int maxAttempts, int failureThreshold) {
    GeminiEngine engine =
        new GeminiEngine(
            new GeminiProperties(
                KEY,
                "gemini-2.5-flash-preview-tts",
                server.url(),
                "en-US",
                Duration.ofSeconds(10),
                maxAttempts,
                ms(1),
                ms(5),
                Duration.ofSeconds(5),
                Duration.ofMinutes(15),
                new GeminiProperties.CircuitBreaker(failureThreshold, Duration.ofMinutes(1)),
                new GeminiProperties.Concurrency(4, 16)),
            clock);
    engines.add(engine);
    return engine;
  }

  private static Voice voice(String name) {
    return GeminiVoices.all("en-US").stream()
        .filter(v -> v.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  static byte[] tone(int samples) {
    ByteBuffer b = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < samples; i++) {
      b.putShort((short) (8000 * Math.sin(2 * Math.PI * 220 * i / 24000.0)));
    }
    return b.array();
  }

  /** HTTP 200 whose candidate carries no audio, as Gemini TTS sometimes answers. */
  static String noAudio(String finishReason) {
    return """
        {"candidates": [{"finishReason": "%s", "index": 0}],
         "usageMetadata": {"promptTokenCount": 11, "totalTokenCount": 11},
         "modelVersion": "gemini-2.5-flash-preview-tts"}
        """
        .formatted(finishReason);
  }

  static String status(int code, String status, String message) {
    return """
        {"error": {"code": %d, "message": "%s", "status": "%s"}}
        """
        .formatted(code, message, status);
  }

  /** Gemini's 429: a QuotaFailure naming the quota, a Help link, and a RetryInfo. */
  static String rateLimited(String quotaId, String retryDelay) {
    return """
        {"error": {"code": 429,
          "message": "You exceeded your current quota, please check your plan and billing details.",
          "status": "RESOURCE_EXHAUSTED",
          "details": [
            {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [
              {"quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
               "quotaId": "%s",
               "quotaDimensions": {"location": "global", "model": "gemini-2.5-flash-preview-tts"},
               "quotaValue": "15"}]},
            {"@type": "type.googleapis.com/google.rpc.Help", "links": [
              {"description": "Learn more about Gemini API quotas",
               "url": "https://ai.google.dev/gemini-api/docs/rate-limits"}]},
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "%s"}]}}
        """
        .formatted(quotaId, retryDelay);
  }
}
