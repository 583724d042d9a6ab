package dev.ttsapi.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.queue.Job;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.queue.QueueKeys;
import dev.ttsapi.queue.TestQueue;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.PoisonEngine;
import dev.ttsapi.support.PrometheusText;
import io.lettuce.core.Consumer;
import io.lettuce.core.XReadArgs;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest extends IntegrationTest {

  private static final String MARY = "mary:cmu-slt-hsmm";

  @Test
  void metrics_show_requests_processing_time_cache_and_queue_in_prometheus_text() {
    TestUser user = newUser("metrics-user", Caller.Role.USER);
    String text = "Metrics are counted once per request.";
    String first =
        api.post("/tts/request", user.key(), Payloads.submit(text, "wav"))
            .json()
            .path("request_id")
            .asString();
    awaitStatus(user.key(), first, "completed");
    var again = api.post("/tts/request", user.key(), Payloads.submit(text, "wav"));
    assertThat(again.status()).isBetween(200, 202);

    var response = api.get("/metrics", null);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).startsWith("text/plain");
    String metrics = response.text();
    assertThat(
            PrometheusText.value(
                metrics, "tts_requests_total", "status=\"received\"", "voice=\"" + MARY + "\""))
        .isGreaterThanOrEqualTo(2);
    assertThat(
            PrometheusText.value(
                metrics, "tts_requests_total", "status=\"completed\"", "voice=\"" + MARY + "\""))
        .isGreaterThanOrEqualTo(2);
    assertThat(PrometheusText.value(metrics, "tts_cache_lookups_total", "result=\"hit\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(PrometheusText.value(metrics, "tts_cache_lookups_total", "result=\"miss\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(
            PrometheusText.value(
                metrics,
                "tts_processing_duration_seconds_count",
                "text_length=\"0-100\"",
                "voice=\"" + MARY + "\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(metrics).contains("tts_processing_duration_seconds_bucket{");
    assertThat(
            PrometheusText.value(metrics, "tts_engine_real_time_factor_count", "engine=\"mary\""))
        .isGreaterThanOrEqualTo(1);
    for (Priority p : Priority.values()) {
      assertThat(metrics)
          .containsPattern("tts_queue_length\\{[^}]*priority=\"" + p.wireName() + "\"");
    }
    assertThat(metrics)
        .contains("tts_active_workers")
        .contains("tts_worker_paused")
        .contains("tts_queue_dead_letters")
        .contains("tts_jobs_reclaimed_total")
        .contains("tts_jobs_dead_lettered_total")
        .contains("http_server_requests_seconds_bucket")
        .contains("jvm_memory_used_bytes")
        .contains("hikaricp_connections_active")
        .contains("lettuce_command_completion_seconds")
        .doesNotContain("user_id");
  }

  @Test
  void a_job_that_fails_for_good_counts_as_failed_and_dead_lettered() {
    TestUser user = newUser("metrics-poison", Caller.Role.USER);
    double before =
        PrometheusText.value(api.get("/metrics", null).text(), "tts_jobs_dead_lettered_total");
    String id =
        api.post(
                "/tts/request",
                user.key(),
                Payloads.submit("Never spoken.", PoisonEngine.VOICE, "normal"))
            .json()
            .path("request_id")
            .asString();
    awaitStatus(user.key(), id, "failed");

    String metrics = api.get("/metrics", null).text();
    assertThat(PrometheusText.value(metrics, "tts_jobs_dead_lettered_total")).isEqualTo(before + 1);
    assertThat(
            PrometheusText.value(
                metrics,
                "tts_requests_total",
                "status=\"failed\"",
                "voice=\"" + PoisonEngine.VOICE + "\""))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void a_job_taken_from_a_dead_worker_counts_as_reclaimed() {
    double before =
        PrometheusText.value(api.get("/metrics", null).text(), "tts_jobs_reclaimed_total");
    worker().stop();
    queue.enqueue(new Job(UUID.randomUUID(), Instant.now(), Priority.NORMAL, null));
    // A consumer that reads the entry and dies: it stays pending until the reclaimer takes it.
    redis
        .sync()
        .xreadgroup(
            Consumer.from(QueueKeys.GROUP, "dead-worker"),
            XReadArgs.Builder.count(1),
            XReadArgs.StreamOffset.lastConsumed(TestQueue.stream(Priority.NORMAL)));
    worker().start();

    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                PrometheusText.value(api.get("/metrics", null).text(), "tts_jobs_reclaimed_total")
                    > before);
  }
}
