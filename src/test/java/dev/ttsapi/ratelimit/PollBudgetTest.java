package dev.ttsapi.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Reads have a budget of their own: running out of it refuses reads, not submissions. */
@TestPropertySource(properties = "tts.ratelimit.poll-requests-per-minute=5")
class PollBudgetTest extends IntegrationTest {

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
}
