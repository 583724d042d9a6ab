package dev.ttsapi.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** Reads have a budget of their own: running out of it refuses reads, not submissions. */
@TestPropertySource(properties = "tts.ratelimit.poll-requests-per-minute=5")
class PollBudgetTest extends IntegrationTest {

  @Autowired private UserLimitsService limits;

  @Test
  void past_the_poll_limit_reads_are_429_and_submissions_still_go_through() {
    worker().stop();
    TestUser user = newUser("poller", Caller.Role.USER);
    String id =
        api.post("/tts/request", user.key(), Payloads.submit("Poll me hard.", "wav"))
            .json()
            .path("request_id")
            .asString();

    for (int i = 0; i < 5; i++) {
      Response poll = api.get("/tts/status/" + id, user.key());
      assertThat(poll.status()).isEqualTo(200);
      assertThat(poll.header("RateLimit-Limit")).isEqualTo("5");
    }
    Response limited = api.get("/tts/status/" + id, user.key());
    Response audio = api.get("/tts/audio/" + id, user.key());

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("Retry-After")).isNotNull();
    assertThat(limited.json().path("type").asString())
        .isEqualTo("https://tts-api.dev/problems/rate-limited");
    assertThat(audio.status()).as("downloads share the read budget").isEqualTo(429);
    Response submit =
        api.post("/tts/request", user.key(), Payloads.submit("Still allowed.", "wav"));
    assertThat(submit.status()).isEqualTo(200);
  }

  @Test
  void a_user_whose_submit_budget_an_admin_raised_polls_on_a_multiple_of_it() {
    worker().stop();
    TestUser admin = newUser("poll-admin", Caller.Role.ADMIN);
    TestUser raised = newUser("raised", Caller.Role.USER);
    Response put =
        api.put(
            "/admin/users/" + raised.caller().userId() + "/limits",
            admin.key(),
            "{\"requests_per_minute\":20}");
    assertThat(put.json().path("poll_requests_per_minute").asInt())
        .as("10 x 20, above the configured 5")
        .isEqualTo(200);
    String id =
        api.post("/tts/request", raised.key(), Payloads.submit("Poll me often.", "wav"))
            .json()
            .path("request_id")
            .asString();

    for (int i = 0; i < 20; i++) {
      Response poll = api.get("/tts/status/" + id, raised.key());
      assertThat(poll.status()).as("poll %d", i).isEqualTo(200);
      assertThat(poll.header("RateLimit-Limit")).isEqualTo("200");
    }
  }

  @Test
  void an_admin_sets_the_poll_budget_itself() {
    worker().stop();
    TestUser admin = newUser("poll-admin", Caller.Role.ADMIN);
    TestUser user = newUser("tight", Caller.Role.USER);
    Response put =
        api.put(
            "/admin/users/" + user.caller().userId() + "/limits",
            admin.key(),
            "{\"requests_per_minute\":1000,\"poll_requests_per_minute\":2}");
    assertThat(put.json().path("poll_requests_per_minute").asInt()).isEqualTo(2);
    assertThat(
            api.put(
                    "/admin/users/" + user.caller().userId() + "/limits",
                    admin.key(),
                    "{\"poll_requests_per_minute\":0}")
                .status())
        .isEqualTo(400);
    String id =
        api.post("/tts/request", user.key(), Payloads.submit("Poll me twice.", "wav"))
            .json()
            .path("request_id")
            .asString();

    assertThat(api.get("/tts/status/" + id, user.key()).status()).isEqualTo(200);
    assertThat(api.get("/tts/status/" + id, user.key()).status()).isEqualTo(200);
    assertThat(api.get("/tts/status/" + id, user.key()).status()).isEqualTo(429);
    assertThat(limits.limitsOf(user.caller().userId()).pollRequestsPerMinute()).isEqualTo(2);
  }
}
