package dev.ttsapi.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.queue.QueueKeys;
import dev.ttsapi.queue.TestQueue;
import dev.ttsapi.request.RequestRepository;
import dev.ttsapi.support.GateEngine;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.models.stream.PendingMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A healthy job that runs longer than the visibility timeout is not taken from its worker. */
class LongJobTest extends IntegrationTest {

  @Autowired GateEngine gate;
  @Autowired RequestRepository requests;

  @AfterEach
  void openTheGate() {
    gate.open();
  }

  @Test
  void job_running_past_the_visibility_timeout_keeps_its_claim_and_runs_once() {
    TestUser user = newUser("long-job-user", Caller.Role.USER);
    gate.close();
    int callsBefore = gate.calls();
    String id =
        api.post(
                "/tts/request", user.key(), Payloads.submit("Hold me.", GateEngine.VOICE, "normal"))
            .json()
            .path("request_id")
            .asString();
    await().atMost(Duration.ofSeconds(10)).until(() -> gate.calls() == callsBefore + 1);
    Instant started = Instant.now();

    // The visibility timeout is 3 s and the reclaimer looks every 0.5 s: hold the job for three
    // timeouts while watching that its entry is never left idle long enough to be reclaimed.
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              List<PendingMessage> pending =
                  redis
                      .sync()
                      .xpending(
                          TestQueue.stream(Priority.NORMAL),
                          io.lettuce.core.Consumer.from(QueueKeys.GROUP, consumerOf()),
                          Range.create("-", "+"),
                          Limit.from(10));
              assertThat(pending).hasSize(1);
              assertThat(pending.getFirst().getMsSinceLastDelivery())
                  .isLessThan(Duration.ofSeconds(3).toMillis());
              return Duration.between(started, Instant.now()).compareTo(Duration.ofSeconds(9)) > 0;
            });
    gate.open();

    awaitStatus(user.key(), id, "completed");
    assertThat(gate.calls()).as("synthesized once").isEqualTo(callsBefore + 1);
    assertThat(requests.events(UUID.fromString(id)))
        .containsExactly("queued", "started", "completed");
  }

  private String consumerOf() {
    return redis
        .sync()
        .xpending(TestQueue.stream(Priority.NORMAL), QueueKeys.GROUP)
        .getConsumerMessageCount()
        .keySet()
        .iterator()
        .next();
  }
}
