package dev.ttsapi.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.queue.QueueReader;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The admin page takes a worker's liveness from its heartbeat, not from the consumer group's idle
 * time, which Redis before 7.2 does not reset on an empty blocking read: a worker waiting for work
 * is alive however long it waits, and a consumer without a heartbeat (a killed worker) is dead
 * however recently it read.
 */
// The window the page used to judge by idle time, made tiny: judged that way, a worker waiting for
// work for more than a second would count as dead.
@TestPropertySource(properties = "tts.console.worker-alive-within=1s")
class WorkerLivenessTest extends IntegrationTest {

  @Test
  void a_worker_waiting_for_work_counts_as_alive() {
    TestUser admin = newUser("liveness-admin", Caller.Role.ADMIN);
    ApiClient.Response submitted =
        api.post(
            "/tts/request", admin.key(), ApiClient.json(Map.of("text", "One job, then none.")));
    awaitStatus(admin.key(), submitted.json().path("request_id").asString(), "completed");
    // Several empty blocking reads later (500 ms each): on Redis 7.0 its idle time keeps growing.
    Awaitility.await()
        .pollDelay(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode workers = overview(admin.key()).path("workers");
              assertThat(workers.path("consumers").size()).isGreaterThanOrEqualTo(1);
              assertThat(workers.path("alive").asInt())
                  .as(workers.toString())
                  .isEqualTo(workers.path("consumers").size());
            });
  }

  @Test
  void a_consumer_without_a_heartbeat_counts_as_dead_though_it_just_read() {
    TestUser admin = newUser("liveness-admin2", Caller.Role.ADMIN);
    worker().stop();
    ApiClient.Response submitted =
        api.post("/tts/request", admin.key(), ApiClient.json(Map.of("text", "Taken and lost.")));
    assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);
    try (QueueReader killed = queue.reader("killed-worker")) {
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> killed.next().isPresent());

      JsonNode workers = overview(admin.key()).path("workers");
      JsonNode consumer = null;
      for (JsonNode c : workers.path("consumers")) {
        if (c.path("name").asString().equals("killed-worker")) {
          consumer = c;
        }
      }
      assertThat(consumer).as(workers.toString()).isNotNull();
      assertThat(consumer.path("pending_jobs").asLong()).isEqualTo(1);
      assertThat(consumer.path("alive").asBoolean()).isFalse();
      assertThat(workers.path("busy").asInt()).isZero();
    }
  }

  private JsonNode overview(String key) {
    ApiClient.Response response = api.get("/admin/console/overview", key);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json();
  }
}
