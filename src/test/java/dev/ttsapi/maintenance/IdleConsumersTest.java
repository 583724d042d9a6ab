package dev.ttsapi.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.queue.QueueKeys;
import dev.ttsapi.queue.QueueReader;
import dev.ttsapi.queue.TestQueue;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import io.lettuce.core.Consumer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Each worker start joins the group under a new name; the consumers of stopped workers are removed
 * once idle, so the group and the admin page's worker list do not grow with every restart, while a
 * consumer still holding a job keeps it.
 */
class IdleConsumersTest extends IntegrationTest {

  @Autowired MaintenanceTasks maintenance;

  @Test
  void idle_consumers_without_jobs_are_removed_and_one_holding_a_job_is_kept() throws Exception {
    TestUser user = newUser("consumers-user", Caller.Role.USER);
    worker().stop();
    String id =
        api.post("/tts/request", user.key(), Payloads.submit("Hold me.", "wav"))
            .json()
            .path("request_id")
            .asString();
    try (QueueReader holder = queue.reader("holder-of-a-job")) {
      assertThat(holder.next()).isPresent(); // taken, never acknowledged: its worker "died"
    }
    redis
        .sync()
        .xgroupCreateconsumer(
            TestQueue.stream(Priority.NORMAL), Consumer.from(QueueKeys.GROUP, "stopped-worker"));

    // The configured wait (an hour) has not passed: nobody is removed yet.
    assertThat(maintenance.forgetIdleConsumers()).isZero();
    assertThat(consumers()).contains("stopped-worker", "holder-of-a-job");

    Thread.sleep(400);
    assertThat(queue.forgetIdleConsumers(Duration.ofMillis(300))).isPositive();

    assertThat(consumers()).contains("holder-of-a-job").doesNotContain("stopped-worker");
    // The job held by the kept consumer is still reclaimed and done.
    worker().start();
    awaitStatus(user.key(), id, "completed");
  }

  private List<String> consumers() {
    return redis.sync().xinfoConsumers(TestQueue.stream(Priority.NORMAL), QueueKeys.GROUP).stream()
        .map(c -> String.valueOf(((List<?>) c).get(1)))
        .toList();
  }
}
