package dev.ttsapi.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.queue.TestQueue;
import dev.ttsapi.ratelimit.UserLimitsService;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /tts/estimate}: what a submission would cost and give, with nothing queued or charged
 * and the same 400s as a submission.
 */
@TestPropertySource(
    properties = {"tts.estimate.min-measured-requests=1", "tts.estimate.remeasure-every=1ms"})
class EstimateTest extends IntegrationTest {

  @Autowired private UserLimitsService limits;

  private TestUser user;

  @BeforeEach
  void user() {
    user = newUser("estimator", Caller.Role.USER);
  }

  @Test
  void an_estimate_queues_nothing_and_charges_nothing() {
    worker().stop();
    limits.setLimits(user.caller().userId(), null, 1000L);
    String text = "Forty characters of text, more or less!!";

    Response first = api.post("/tts/estimate", user.key(), Payloads.submit(text, "mp3"));
    Response second = api.post("/tts/estimate", user.key(), Payloads.submit(text, "mp3"));

    assertThat(first.status()).as(first.text()).isEqualTo(200);
    JsonNode e = second.json();
    assertThat(e.path("billable_characters").asLong()).isEqualTo(text.length());
    assertThat(e.path("format").asString()).isEqualTo("mp3");
    assertThat(e.path("cached").asBoolean()).isFalse();
    assertThat(e.path("estimated_audio_seconds").asDouble()).isPositive();
    assertThat(e.path("audio_seconds_basis").asString()).isIn("language", "measured");
    assertThat(e.path("quota").path("characters_per_day").asLong()).isEqualTo(1000);
    assertThat(e.path("quota").path("used_today").asLong()).as("nothing charged").isZero();
    assertThat(e.path("quota").path("left_after").asLong()).isEqualTo(1000 - text.length());
    assertThat(e.path("quota").path("fits").asBoolean()).isTrue();
    assertThat(e.path("queue").path("position").asLong()).isEqualTo(1);
    assertThat(jdbc.sql("SELECT count(*) FROM requests").query(Long.class).single()).isZero();
    assertThat(redis.sync().xlen(TestQueue.stream(Priority.NORMAL))).isZero();
  }

  @Test
  void text_over_the_quota_is_estimated_as_not_fitting() {
    limits.setLimits(user.caller().userId(), null, 10L);

    JsonNode e =
        api.post("/tts/estimate", user.key(), Payloads.submit("Eleven+ characters", "wav")).json();

    assertThat(e.path("quota").path("left_after").asLong()).isNegative();
    assertThat(e.path("quota").path("fits").asBoolean()).isFalse();
  }

  @Test
  void a_body_a_submission_refuses_is_refused_the_same_way() {
    List<Map<String, Object>> bodies =
        List.of(
            Map.of("voice_settings", Map.of("language", "en-US")),
            Map.of("text", "   "),
            Map.of("text", "Hi", "voice_settings", Map.of("speed", 9.0, "pitch", 40.0)),
            Map.of("text", "Hi", "format", "flac"),
            Map.of("text", "Hi", "sample_rate", 12345),
            Map.of("text", "Hi", "priority", "urgent"),
            Map.of("text", "Hi", "voice_settings", Map.of("voice", "mary:nobody")),
            Map.of("text", "Hi", "voice_settings", Map.of("language", "not a tag!")),
            Map.of("text", "Hi", "user_id", "bad\u0001id"),
            Map.of("text", "Hi", "callback_url", "http://127.0.0.1:9/hook"),
            Map.of("text", "Hi", "user_id", "someone-else"));

    for (Map<String, Object> body : bodies) {
      Response submitted = api.post("/tts/request", user.key(), ApiClient.json(body));
      Response estimated = api.post("/tts/estimate", user.key(), ApiClient.json(body));

      assertThat(submitted.status()).as("%s: %s", body, submitted.text()).isBetween(400, 499);
      assertThat(estimated.status()).as("%s", body).isEqualTo(submitted.status());
      assertThat(withoutInstance(estimated.json()))
          .as("%s", body)
          .isEqualTo(withoutInstance(submitted.json()));
    }
    assertThat(jdbc.sql("SELECT count(*) FROM requests").query(Long.class).single()).isZero();
  }

  @Test
  void stored_audio_is_reported_cached_to_whoever_asked_for_it_and_the_rate_is_then_measured() {
    String text = "A sentence to speak and store.";
    String id =
        api.post("/tts/request", user.key(), Payloads.submit(text, "wav"))
            .json()
            .path("request_id")
            .asString();
    JsonNode done = awaitStatus(user.key(), id, "completed");

    JsonNode mine = api.post("/tts/estimate", user.key(), Payloads.submit(text, "wav")).json();
    TestUser other = newUser("other-estimator", Caller.Role.USER);
    JsonNode theirs = api.post("/tts/estimate", other.key(), Payloads.submit(text, "wav")).json();
    JsonNode fresh =
        api.post("/tts/estimate", user.key(), Payloads.submit("Something new to say.", "wav"))
            .json();

    assertThat(mine.path("cached").asBoolean()).isTrue();
    assertThat(mine.path("expected_wait_seconds").asDouble()).isZero();
    assertThat(mine.path("audio_seconds_basis").asString()).isEqualTo("stored");
    assertThat(mine.path("estimated_audio_seconds").asDouble())
        .isEqualTo(done.path("audio").path("duration_seconds").asDouble());
    assertThat(theirs.path("cached").asBoolean())
        .as("another user is not told what was asked for before")
        .isFalse();
    assertThat(fresh.path("cached").asBoolean()).isFalse();
    assertThat(fresh.path("audio_seconds_basis").asString()).isEqualTo("measured");
    double perCharacter = done.path("audio").path("duration_seconds").asDouble() / text.length();
    assertThat(fresh.path("estimated_audio_seconds").asDouble())
        .isCloseTo(
            perCharacter * "Something new to say.".length(),
            org.assertj.core.data.Offset.offset(0.2));
  }

  @Test
  void the_expected_wait_counts_the_jobs_waiting_before_it() {
    worker().stop();
    TestUser busy = newUser("busy", Caller.Role.USER);
    for (int i = 0; i < 3; i++) {
      api.post("/tts/request", busy.key(), Payloads.submit("Waiting job " + i, "wav"));
    }
    api.post(
        "/tts/request", busy.key(), Payloads.submit("Urgent job", "mary:cmu-slt-hsmm", "high"));

    JsonNode e = api.post("/tts/estimate", user.key(), Payloads.submit("And me?", "wav")).json();

    assertThat(e.path("queue").path("ahead_in_priority").asLong()).isEqualTo(3);
    assertThat(e.path("queue").path("position").asLong())
        .as("3 normal and 1 high first")
        .isEqualTo(5);
    assertThat(e.path("queue").path("held").asBoolean()).isFalse();
  }

  private static Map<String, Object> withoutInstance(JsonNode problem) {
    Map<String, Object> fields = new LinkedHashMap<>();
    problem
        .properties()
        .forEach(
            entry -> {
              if (!entry.getKey().equals("instance") && !entry.getKey().equals("request_id")) {
                fields.put(entry.getKey(), entry.getValue().toString());
              }
            });
    return fields;
  }
}
