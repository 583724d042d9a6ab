package dev.ttsapi.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Per-user limits set through the admin API and enforced in Redis: a 429 problem with Retry-After
 * and RateLimit-* headers past the limit, the daily character quota, polling on a budget of its
 * own, and usage written to rate_limit in batches.
 */
class RateLimitTest extends IntegrationTest {

  private static final String PROBLEMS = "https://tts-api.dev/problems/";

  @Autowired private UsageAudit audit;

  private TestUser admin;
  private TestUser user;

  @BeforeEach
  void users() {
    admin = newUser("limits-admin", Caller.Role.ADMIN);
    user = newUser("limits-user", Caller.Role.USER);
    worker().stop(); // nothing here needs speech
  }

  @Test
  void an_admin_sets_and_reads_a_users_limits() {
    Response put = setLimits(user, 7, 1234L);

    assertThat(put.status()).as(put.text()).isEqualTo(200);
    assertThat(put.json().path("requests_per_minute").asInt()).isEqualTo(7);
    assertThat(put.json().path("characters_per_day").asLong()).isEqualTo(1234);
    assertThat(put.json().path("custom").asBoolean()).isTrue();
    Response get = api.get("/admin/users/" + user.caller().userId() + "/limits", admin.key());
    assertThat(get.json().path("requests_per_minute").asInt()).isEqualTo(7);
    assertThat(
            jdbc.sql("SELECT requests_per_minute FROM user_limits WHERE user_id = ?")
                .param(user.caller().userId())
                .query(Integer.class)
                .single())
        .isEqualTo(7);
  }

  @Test
  void a_user_without_limits_of_their_own_gets_the_configured_defaults() {
    Response get = api.get("/admin/users/" + user.caller().name() + "/limits", admin.key());

    assertThat(get.status()).isEqualTo(200);
    assertThat(get.json().path("requests_per_minute").asInt()).isEqualTo(100000);
    assertThat(get.json().path("characters_per_day").asLong()).isEqualTo(1_000_000);
    assertThat(get.json().path("custom").asBoolean()).isFalse();
  }

  @Test
  void only_an_admin_sets_limits_and_only_sensible_ones() {
    assertThat(setLimits(user, user, 1000, null).status()).isEqualTo(403);
    assertThat(setLimits(user, 0, null).status()).isEqualTo(400);
    assertThat(setLimits(user, null, -5L).status()).isEqualTo(400);
    Response unknown =
        api.put(
            "/admin/users/00000000-0000-0000-0000-000000000000/limits",
            admin.key(),
            "{\"requests_per_minute\":5}");
    assertThat(unknown.status()).isEqualTo(404);
  }

  @Test
  void past_the_requests_per_minute_limit_a_submission_is_a_429_with_retry_after() {
    setLimits(user, 3, null);

    for (int i = 0; i < 3; i++) {
      Response ok = submit("Request number " + i);
      assertThat(ok.status()).as(ok.text()).isEqualTo(200);
      assertThat(ok.header("RateLimit-Limit")).isEqualTo("3");
      assertThat(ok.header("RateLimit-Remaining")).isEqualTo(Integer.toString(2 - i));
      assertThat(Long.parseLong(ok.header("RateLimit-Reset"))).isPositive();
    }
    Response limited = submit("One too many");

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
    assertThat(limited.json().path("type").asString()).isEqualTo(PROBLEMS + "rate-limited");
    assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
    assertThat(limited.header("RateLimit-Limit")).isEqualTo("3");
    assertThat(limited.header("RateLimit-Remaining")).isEqualTo("0");
    assertThat(requestRows()).as("the refused request is not stored").isEqualTo(3);
  }

  @Test
  void users_have_separate_budgets() {
    TestUser other = newUser("limits-other", Caller.Role.USER);
    setLimits(user, 1, null);
    setLimits(other, 1, null);

    assertThat(submit("First of mine").status()).isEqualTo(200);
    assertThat(submit("Second of mine").status()).isEqualTo(429);
    assertThat(api.post("/tts/request", other.key(), body("First of theirs")).status())
        .isEqualTo(200);
  }

  @Test
  void polling_status_does_not_eat_the_submit_budget() {
    setLimits(user, 2, null);
    String id = submit("Poll me").json().path("request_id").asString();

    for (int i = 0; i < 20; i++) {
      Response poll = api.get("/tts/status/" + id, user.key());
      assertThat(poll.status()).isEqualTo(200);
      assertThat(poll.header("RateLimit-Limit")).isEqualTo("100000");
    }
    Response second = submit("Still within my budget");

    assertThat(second.status()).as(second.text()).isEqualTo(200);
    assertThat(second.header("RateLimit-Remaining")).isEqualTo("0");
  }

  @Test
  void text_over_the_daily_character_quota_is_a_429_naming_the_quota() {
    setLimits(user, null, 30L);

    assertThat(submit("a".repeat(20)).status()).isEqualTo(200);
    Response over = submit("b".repeat(20));

    assertThat(over.status()).isEqualTo(429);
    assertThat(over.json().path("type").asString()).isEqualTo(PROBLEMS + "quota-exceeded");
    assertThat(over.json().path("detail").asString())
        .contains("20 characters")
        .contains("10 of your daily quota of 30");
    assertThat(Long.parseLong(over.header("Retry-After"))).isPositive();
    assertThat(requestRows()).isEqualTo(1);
    assertThat(submit("c".repeat(10)).status()).as("what is left still fits").isEqualTo(200);
  }

  @Test
  void a_refused_submission_gives_its_characters_back() {
    setLimits(user, null, 30L);

    Response unknownVoice =
        api.post(
            "/tts/request",
            user.key(),
            ApiClient.json(
                Map.of("text", "x".repeat(25), "voice_settings", Map.of("voice", "mary:nobody"))));
    assertThat(unknownVoice.status()).isEqualTo(400);

    assertThat(submit("y".repeat(25)).status()).isEqualTo(200);
  }

  @Test
  void usage_is_written_to_rate_limit_in_one_batch() {
    setLimits(user, 2, null);
    submit("12345");
    submit("1234567890");
    submit("refused");

    audit.flush();

    Map<String, Object> row =
        jdbc.sql("SELECT requests, characters, refused_requests FROM rate_limit WHERE user_id = ?")
            .param(user.caller().userId())
            .query()
            .singleRow();
    assertThat(row)
        .containsEntry("requests", 2L)
        .containsEntry("characters", 15L)
        .containsEntry("refused_requests", 1L);
    submit("more");
    audit.flush();
    assertThat(
            jdbc.sql("SELECT count(*) FROM rate_limit WHERE user_id = ?")
                .param(user.caller().userId())
                .query(Long.class)
                .single())
        .as("a second flush adds to the day's row")
        .isEqualTo(1);
  }

  private Response submit(String text) {
    return api.post("/tts/request", user.key(), body(text));
  }

  private static String body(String text) {
    return Payloads.submit(text, "wav");
  }

  private long requestRows() {
    return jdbc.sql("SELECT count(*) FROM requests").query(Long.class).single();
  }

  private Response setLimits(TestUser target, Integer rpm, Long chars) {
    return setLimits(admin, target, rpm, chars);
  }

  private Response setLimits(TestUser as, TestUser target, Integer rpm, Long chars) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("requests_per_minute", rpm);
    body.put("characters_per_day", chars);
    return api.put(
        "/admin/users/" + target.caller().userId() + "/limits", as.key(), ApiClient.json(body));
  }
}
