package dev.ttsapi.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /tts/status/{id}} of a queued request says where it stands: jobs ahead of it in its
 * priority, the caller's own jobs before it (the per-user cap holds the rest back), and when it
 * should be done once the workers' throughput has been measured.
 */
class QueuePositionTest extends IntegrationTest {

  private static final String MARY = "mary:cmu-slt-hsmm";

  @Test
  void a_queued_request_shows_the_jobs_ahead_of_it() {
    worker().stop();
    TestUser a = newUser("queue-a", Caller.Role.USER);
    TestUser b = newUser("queue-b", Caller.Role.USER);
    String a1 = submit(a, "First of A", "normal");
    String a2 = submit(a, "Second of A", "normal");
    String b1 = submit(b, "First of B", "normal");

    JsonNode first = queue(a, a1);
    JsonNode second = queue(a, a2);
    JsonNode third = queue(b, b1);
    assertThat(first.path("position").asLong()).isEqualTo(1);
    assertThat(first.path("ahead_in_priority").asLong()).isZero();
    assertThat(second.path("ahead_in_priority").asLong()).isEqualTo(1);
    assertThat(second.path("your_jobs_ahead").asLong()).isEqualTo(1);
    assertThat(third.path("ahead_in_priority").asLong()).isEqualTo(2);
    assertThat(third.path("your_jobs_ahead").asLong()).isZero();
    assertThat(third.path("held").asBoolean()).isFalse();

    submit(b, "Urgent of B", "high");
    assertThat(queue(b, b1).path("position").asLong())
        .as("a high-priority job is taken first")
        .isEqualTo(4);
    assertThat(queue(b, b1).path("ahead_in_priority").asLong()).isEqualTo(2);
  }

  @Test
  void a_job_the_per_user_cap_holds_back_counts_the_users_own_jobs_before_it() {
    worker().stop();
    TestUser many = newUser("queue-many", Caller.Role.USER);
    TestUser other = newUser("queue-other", Caller.Role.USER);
    submit(other, "Someone else first", "normal");
    String last = null;
    for (int i = 0; i < 10; i++) { // the cap lets 8 into the stream
      last = submit(many, "Job number " + i, "normal");
    }

    JsonNode held = queue(many, last);
    assertThat(held.path("held").asBoolean()).isTrue();
    assertThat(held.path("your_jobs_ahead").asLong())
        .as("8 in the stream, 1 held before it")
        .isEqualTo(9);
    assertThat(held.path("ahead_in_priority").asLong()).as("the whole stream").isEqualTo(9);
  }

  @Test
  void a_request_that_is_no_longer_queued_has_no_place_and_an_eta_follows_measured_throughput() {
    TestUser user = newUser("queue-eta", Caller.Role.USER);
    for (int i = 0; i < 2; i++) {
      awaitStatus(user.key(), submit(user, "Measured job " + i, "normal"), "completed");
    }
    String done = submit(user, "Measured job 0", "normal");
    JsonNode cached = api.get("/tts/status/" + done, user.key()).json();
    assertThat(cached.path("status").asString()).isEqualTo("completed");
    assertThat(cached.path("queue").isNull() || cached.path("queue").isMissingNode()).isTrue();

    worker().stop();
    submit(user, "Waiting first", "normal");
    String waiting = submit(user, "Waiting second", "normal");
    JsonNode q = queue(user, waiting);

    assertThat(q.path("jobs_per_second").asDouble()).isPositive();
    assertThat(q.path("starts_in_seconds").asDouble()).isPositive();
    assertThat(q.path("eta_seconds").asDouble())
        .isGreaterThan(q.path("starts_in_seconds").asDouble());
  }

  private String submit(TestUser user, String text, String priority) {
    return api.post("/tts/request", user.key(), Payloads.submit(text, MARY, priority))
        .json()
        .path("request_id")
        .asString();
  }

  private JsonNode queue(TestUser user, String id) {
    JsonNode status = api.get("/tts/status/" + id, user.key()).json();
    assertThat(status.path("status").asString()).isEqualTo("queued");
    return status.path("queue");
  }
}
