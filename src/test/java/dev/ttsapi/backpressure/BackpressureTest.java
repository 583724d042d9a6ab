package dev.ttsapi.backpressure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.PrometheusText;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** A node with tiny queue limits, read fresh on every submit. */
@TestPropertySource(
    properties = {
      "tts.backpressure.max-queue-depth=2",
      "tts.backpressure.high-priority-max-queue-depth=4",
      "tts.backpressure.queue-depth-cache=0s",
      "tts.backpressure.retry-after=7s",
      "tts.backpressure.heap-check-interval=50ms"
    })
class BackpressureTest extends IntegrationTest {

  private static final String MARY = "mary:cmu-slt-hsmm";

  @Autowired HeapGuard heap;

  @Test
  void a_full_queue_answers_503_with_retry_after_and_high_priority_has_more_room() {
    TestUser user = newUser("backpressure-user", Caller.Role.USER);
    worker().stop();
    for (int i = 0; i < 3; i++) {
      assertThat(submit(user, "Queued number " + i + ".", "normal").status()).isEqualTo(200);
    }

    ApiClient.Response refused = submit(user, "One too many.", "normal");

    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.header("Retry-After")).isEqualTo("7");
    assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
    assertThat(refused.json().path("type").asString()).endsWith("/queue-full");
    assertThat(submit(user, "Low waits too.", "low").status()).isEqualTo(503);
    assertThat(submit(user, "High goes first.", "high").status()).isEqualTo(200);
    assertThat(submit(user, "High again.", "high").status()).isEqualTo(200);
    assertThat(submit(user, "High, past its allowance.", "high").status()).isEqualTo(503);
    assertThat(api.get("/metrics", null).text()).contains("tts_requests_rejected_total");

    worker().start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> submit(user, "Accepted again.", "normal").status() == 200);
  }

  @Test
  void workers_take_no_jobs_while_the_heap_is_over_its_limit_and_resume_below_it() {
    TestUser user = newUser("heap-user", Caller.Role.USER);
    double limit = heap.limit();
    String id;
    try {
      heap.limit(0.0);
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(heap::paused);
      id = submit(user, "Waits for memory.", "normal").json().path("request_id").asString();

      assertThat(PrometheusText.value(api.get("/metrics", null).text(), "tts_worker_paused"))
          .isEqualTo(1.0);
      assertThat(queue.depths().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
      assertThat(api.get("/tts/status/" + id, user.key()).json().path("status").asString())
          .isEqualTo("queued");
    } finally {
      heap.limit(limit);
    }
    awaitStatus(user.key(), id, "completed");
    assertThat(heap.paused()).isFalse();
  }

  private ApiClient.Response submit(TestUser user, String text, String priority) {
    return api.post("/tts/request", user.key(), Payloads.submit(text, MARY, priority));
  }
}
