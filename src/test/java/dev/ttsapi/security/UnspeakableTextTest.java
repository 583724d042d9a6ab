package dev.ttsapi.security;

import static dev.ttsapi.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.engine.espeak.EspeakEngine;
import dev.ttsapi.ratelimit.UsageAudit;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.FaultEngine;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.SilentEngine;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Text a voice can say nothing of is never charged: refused at submission with a {@code
 * nothing-to-speak} problem where the text tells (no letter or number at all; only letters of a
 * script the voice does not read), failed uncharged where only the engine can tell (it made no
 * sound). Text an engine does speak (numbers, Vietnamese) is not refused.
 */
class UnspeakableTextTest extends IntegrationTest {

  private static final String MARY = "mary:cmu-slt-hsmm";
  private static final long QUOTA = 60;

  @Autowired private UsageAudit audit;

  private TestUser user;

  @BeforeEach
  void userWithASmallQuota() {
    user = newUser("unspeakable-user", Caller.Role.USER);
    TestUser admin = newUser("unspeakable-admin", Caller.Role.ADMIN);
    Map<String, Object> limits = new LinkedHashMap<>();
    limits.put("characters_per_day", QUOTA);
    Response set =
        api.put(
            "/admin/users/" + user.caller().userId() + "/limits",
            admin.key(),
            ApiClient.json(limits));
    assertThat(set.status()).as(set.text()).isEqualTo(200);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "😀🎉🔊 👍🏽               | mary:cmu-slt-hsmm",
        "!!! ??? ... —            | mary:cmu-slt-hsmm",
        "★ ☆ ♥ → ©                | mary:cmu-slt-hsmm",
        "😀🎉🔊 !!!                | " + FaultEngine.VOICE,
      })
  void text_of_only_emoji_punctuation_or_symbols_is_refused_and_not_charged(
      String text, String voice) {
    JsonNode problem = assertProblem(submit(text, voice), 400, "nothing-to-speak");

    assertThat(problem.path("detail").asString()).contains("no letters or numbers");
    assertNothingStoredAndQuotaWhole();
  }

  @Test
  void chinese_for_an_english_mary_voice_is_refused_naming_the_scripts_and_not_charged() {
    JsonNode problem = assertProblem(submit("你好，世界。今天天气很好。", MARY), 400, "nothing-to-speak");

    assertThat(problem.path("voice").asString()).isEqualTo(MARY);
    assertThat(problem.path("detail").asString()).contains("Latin").contains("Han");
    assertThat(problem.path("detail").asString()).doesNotContain("你好");
    assertNothingStoredAndQuotaWhole();
  }

  @Test
  void the_default_voice_refuses_cyrillic_text_too() {
    Response response =
        api.post("/tts/request", user.key(), ApiClient.json(Map.of("text", "Привет, мир")));

    assertProblem(response, 400, "nothing-to-speak");
    assertNothingStoredAndQuotaWhole();
  }

  @Test
  void numbers_and_latin_text_of_other_languages_are_spoken_by_mary() {
    String digits = accepted(submit("12345", MARY));
    String vietnamese = accepted(submit("Xin chào các bạn.", MARY));

    assertThat(secondsOfAudio(digits)).isGreaterThan(0.5);
    assertThat(secondsOfAudio(vietnamese)).isGreaterThan(0.5);
  }

  @Test
  void vietnamese_and_numbers_with_espeak_vi_are_spoken() {
    assumeTrue(EspeakEngine.findOnPath().isPresent(), "espeak-ng is not installed");
    String vietnamese = accepted(submit("Xin chào, tôi là trợ lý ảo.", "espeak:vi"));
    String digits = accepted(submit("12345", "espeak:vi"));

    assertThat(secondsOfAudio(vietnamese)).isGreaterThan(0.5);
    assertThat(secondsOfAudio(digits)).isGreaterThan(0.5);
  }

  @Test
  void a_job_the_engine_makes_only_silence_for_fails_and_is_not_charged() {
    String text = "Nobody will ever hear these words."; // 34 characters
    String id = accepted(submit(text, SilentEngine.VOICE));

    JsonNode failed = awaitStatus(user.key(), id, "failed");

    assertThat(failed.path("error").asString()).startsWith("Nothing to speak");
    assertThat(api.get("/tts/audio/" + id, user.key()).status()).isEqualTo(409);
    JsonNode usage = api.get("/tts/usage", user.key()).json();
    assertThat(usage.path("total").path("requests").asInt()).isZero();
    assertThat(usage.path("total").path("characters").asLong()).isZero();
    assertQuotaWhole();
    audit.flush();
    assertThat(
            jdbc.sql("SELECT characters FROM rate_limit WHERE user_id = ?")
                .param(user.caller().userId())
                .query(Long.class)
                .single())
        .as("charged, given back, then the whole quota charged once")
        .isEqualTo(QUOTA);
  }

  @Test
  void the_speech_endpoint_refuses_text_its_voice_can_say_nothing_of() {
    Response emoji = speech("😀🎉", MARY);
    Response chinese = speech("你好，世界。", MARY);

    assertProblem(emoji, 400, "nothing-to-speak");
    assertThat(emoji.json().path("error").path("param").asString()).isEqualTo("input");
    assertProblem(chinese, 400, "nothing-to-speak");
    assertQuotaWhole();
  }

  private Response submit(String text, String voice) {
    return api.post(
        "/tts/request",
        user.key(),
        ApiClient.json(Map.of("text", text, "voice_settings", Map.of("voice", voice))));
  }

  private Response speech(String input, String voice) {
    return api.post(
        "/v1/audio/speech",
        user.key(),
        ApiClient.json(
            Map.of("model", "tts-1", "input", input, "voice", voice, "response_format", "pcm")));
  }

  private double secondsOfAudio(String id) {
    return awaitStatus(user.key(), id, "completed")
        .path("audio")
        .path("duration_seconds")
        .asDouble();
  }

  private static String accepted(Response response) {
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("request_id").asString();
  }

  private void assertNothingStoredAndQuotaWhole() {
    assertThat(jdbc.sql("SELECT count(*) FROM requests").query(Long.class).single()).isZero();
    assertQuotaWhole();
  }

  /** The whole day's quota still fits in one request: nothing was charged before it. */
  private void assertQuotaWhole() {
    Response whole = submit("a".repeat((int) QUOTA), FaultEngine.VOICE);
    assertThat(whole.status()).as("the whole quota is left: %s", whole.text()).isEqualTo(200);
  }
}
