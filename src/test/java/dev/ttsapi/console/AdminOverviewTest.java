package dev.ttsapi.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.PoisonEngine;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** GET /admin/console/overview gathers the cluster's state from Redis and PostgreSQL. */
class AdminOverviewTest extends IntegrationTest {

  @Test
  void shows_outcomes_workers_dead_letters_cache_and_usage() {
    TestUser admin = newUser("overview-admin", Caller.Role.ADMIN);
    TestUser user = newUser("overview-user", Caller.Role.USER);
    String good = submit(user.key(), Map.of("text", "Hello there."));
    String poison =
        submit(
            user.key(),
            Map.of("text", "Never spoken.", "voice_settings", Map.of("voice", PoisonEngine.VOICE)));
    awaitStatus(user.key(), good, "completed");
    awaitStatus(user.key(), poison, "failed");
    submit(user.key(), Map.of("text", "Hello there.")); // the same again: a cache hit

    // Workers count as alive by their heartbeat key, written every tts.worker.heartbeat-interval;
    // a test before this one may have emptied Redis since the last beat.
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> overview(admin.key()).path("workers").path("alive").asInt() >= 1);
    JsonNode o = overview(admin.key());
    assertThat(o.path("queue_depth").path("normal").asLong()).isZero();
    assertThat(o.path("jobs").path("completed_last_minute").asLong()).isEqualTo(1);
    assertThat(o.path("jobs").path("failed_last_minute").asLong()).isEqualTo(1);
    assertThat(o.path("workers").path("alive").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(o.path("dead_letters").path("count").asLong()).isEqualTo(1);
    JsonNode dead = o.path("dead_letters").path("newest").get(0);
    assertThat(dead.path("request_id").asString()).isEqualTo(poison);
    assertThat(dead.path("error").asString()).contains("poison");
    assertThat(o.path("cache").path("hits").asLong()).isEqualTo(1);
    assertThat(o.path("cache").path("lookups").asLong()).isEqualTo(3);
    assertThat(o.path("usage_today").path("users").get(0).path("user").asString())
        .isEqualTo("overview-user");

    assertThat(api.get("/admin/console/overview", user.key()).status()).isEqualTo(403);
    assertThat(api.get("/admin/console/overview", null).status()).isEqualTo(401);
  }

  @Test
  void a_worker_holding_a_job_is_busy() {
    TestUser admin = newUser("busy-admin", Caller.Role.ADMIN);
    worker().stop();
    // Read by a consumer that never acknowledges: as the group sees a worker mid-job.
    submit(admin.key(), Map.of("text", "Held."));
    try (JobQueueReader reader = new JobQueueReader(queue)) {
      reader.takeOne();
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                JsonNode o = overview(admin.key());
                assertThat(o.path("workers").path("busy").asInt()).isEqualTo(1);
                assertThat(o.path("queue_depth").path("normal").asLong()).isEqualTo(1);
              });
    }
  }

  private JsonNode overview(String key) {
    ApiClient.Response response = api.get("/admin/console/overview", key);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json();
  }

  private String submit(String key, Map<String, Object> body) {
    ApiClient.Response response = api.post("/tts/request", key, ApiClient.json(body));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("request_id").asString();
  }

  /** A stand-in worker on the queue's group. */
  private static final class JobQueueReader implements AutoCloseable {
    private final dev.ttsapi.queue.QueueReader reader;

    JobQueueReader(dev.ttsapi.queue.TestQueue queue) {
      this.reader = queue.reader("test-consumer");
      queue.heartbeat("test-consumer", Duration.ofMinutes(1)); // a live worker's
    }

    void takeOne() {
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> reader.next().isPresent());
    }

    @Override
    public void close() {
      reader.close();
    }
  }
}
