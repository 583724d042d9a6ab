package dev.ttsapi.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.queue.Delivery;
import dev.ttsapi.queue.Job;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.queue.QueueKeys;
import dev.ttsapi.queue.QueueReader;
import dev.ttsapi.queue.TestQueue;
import dev.ttsapi.request.JobLifecycle;
import dev.ttsapi.request.RequestIds;
import dev.ttsapi.request.RequestRepository;
import dev.ttsapi.support.FaultEngine;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.PoisonEngine;
import io.lettuce.core.StreamMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The queue's promises against real Redis and PostgreSQL: a dead worker's job is reclaimed and
 * completed once, a poison job is dead-lettered, duplicates complete once, lost entries come back.
 */
class QueueRecoveryTest extends IntegrationTest {

  @Autowired JobLifecycle lifecycle;
  @Autowired RequestRepository requests;
  @Autowired JobProcessor processor;
  @Autowired PoisonEngine poison;

  @Test
  void reclaims_job_from_worker_that_died_before_starting_it() {
    TestUser user = newUser("reclaim-user", Caller.Role.USER);
    worker().stop();
    String id = submit(user, "A worker took me and died.");
    try (QueueReader ghost = queue.reader("ghost-worker")) {
      assertThat(ghost.next()).isPresent(); // read, never acknowledged
    }
    assertThat(pending(Priority.NORMAL)).isEqualTo(1);
    worker().start();

    awaitStatus(user.key(), id, "completed");

    assertThat(requests.events(UUID.fromString(id)))
        .containsExactly("queued", "started", "completed");
    await().atMost(Duration.ofSeconds(10)).until(() -> pending(Priority.NORMAL) == 0);
    assertThat(redis.sync().xlen(TestQueue.stream(Priority.NORMAL))).isZero();
  }

  @Test
  void reclaims_job_from_worker_that_died_mid_synthesis_and_completes_it_once() {
    TestUser user = newUser("midway-user", Caller.Role.USER);
    worker().stop();
    String text = "I was being spoken when my worker was killed.";
    String id = submit(user, text);
    try (QueueReader ghost = queue.reader("ghost-worker")) {
      Delivery delivery = ghost.next().orElseThrow();
      assertThat(lifecycle.start(delivery.job().requestId())).isPresent(); // then it dies
    }
    worker().start();

    JsonNode done = awaitStatus(user.key(), id, "completed");

    assertThat(done.path("error").isMissingNode()).isTrue();
    assertThat(requests.events(UUID.fromString(id)))
        .containsExactly("queued", "started", "retried", "started", "completed");
    assertThat(requests.find(UUID.fromString(id)).orElseThrow().attempt()).isEqualTo(2);
    assertThat(usage(user)).containsExactly(1L, (long) text.length());
    await().atMost(Duration.ofSeconds(10)).until(() -> pending(Priority.NORMAL) == 0);
  }

  @Test
  void job_whose_worker_died_on_the_last_attempt_is_failed_and_dead_lettered() {
    TestUser user = newUser("last-attempt-user", Caller.Role.USER);
    worker().stop();
    String id = submit(user, "Third time unlucky.");
    try (QueueReader ghost = queue.reader("ghost-worker")) {
      UUID requestId = ghost.next().orElseThrow().job().requestId();
      assertThat(lifecycle.start(requestId)).isPresent();
      // as if the two attempts before this one had died the same way
      jdbc.sql("UPDATE requests SET attempt = 3 WHERE id = :id").param("id", requestId).update();
    }

    JsonNode failed = awaitStatus(user.key(), id, "failed");

    assertThat(failed.path("error").asString()).contains("worker stopped responding");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> redis.sync().xlen(QueueKeys.DEAD_LETTERS) == 1);
    assertThat(pending(Priority.NORMAL)).isZero();
    assertThat(redis.sync().xlen(TestQueue.stream(Priority.NORMAL))).isZero();
  }

  @Test
  void job_cancelled_while_its_dead_worker_held_it_is_dropped_not_run() {
    TestUser user = newUser("cancelled-meanwhile-user", Caller.Role.USER);
    worker().stop();
    String id = submit(user, "Never mind.");
    try (QueueReader ghost = queue.reader("ghost-worker")) {
      assertThat(ghost.next()).isPresent(); // taken, then the worker dies before starting it
    }
    assertThat(api.delete("/tts/request/" + id, user.key()).status()).isEqualTo(200);
    worker().start();

    awaitDrained(Priority.NORMAL, Duration.ofSeconds(15));
    assertThat(requests.events(UUID.fromString(id))).containsExactly("queued", "cancelled");
    assertThat(redis.sync().xlen(QueueKeys.DEAD_LETTERS)).isZero();
  }

  @Test
  void poison_job_fails_after_max_attempts_lands_in_dead_letters_and_others_keep_flowing() {
    TestUser user = newUser("poison-user", Caller.Role.USER);
    int callsBefore = poison.calls();
    worker().stop();

    String poisoned = submitWith(user, "Nobody can say this.", PoisonEngine.VOICE, "normal");
    String healthy = submit(user, "But I can be said.");
    // Other users' jobs, queued alongside: the poison job's retries go behind them.
    java.util.Map<String, TestUser> others = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 6; i++) {
      TestUser other = newUser("bystander-" + i, Caller.Role.USER);
      others.put(
          submitWith(other, "Bystander number " + i + ".", FaultEngine.VOICE, "normal"), other);
    }
    worker().start();

    JsonNode failed = awaitStatus(user.key(), poisoned, "failed");
    awaitStatus(user.key(), healthy, "completed");
    others.forEach((id, other) -> awaitStatus(other.key(), id, "completed"));
    others
        .keySet()
        .forEach(
            id ->
                assertThat(requests.find(UUID.fromString(id)).orElseThrow().attempt())
                    .isEqualTo(1));

    assertThat(failed.path("error").asString()).contains("poison voice never speaks");
    assertThat(poison.calls() - callsBefore).isEqualTo(3);
    assertThat(requests.events(UUID.fromString(poisoned)))
        .containsExactly("queued", "started", "retried", "started", "retried", "started", "failed");
    List<StreamMessage<String, String>> dead =
        redis.sync().xrange(QueueKeys.DEAD_LETTERS, io.lettuce.core.Range.create("-", "+"));
    assertThat(dead).hasSize(1);
    assertThat(dead.getFirst().getBody())
        .containsEntry("request_id", poisoned)
        .containsEntry("attempts", "3")
        .containsEntry("error", "the poison voice never speaks");
    assertThat(pending(Priority.NORMAL)).isZero();
    assertThat(api.get("/tts/audio/" + poisoned, user.key()).status()).isEqualTo(409);
  }

  @Test
  void same_job_delivered_twice_concurrently_completes_and_is_charged_once() throws Exception {
    TestUser user = newUser("twice-user", Caller.Role.USER);
    worker().stop();
    String text = "Delivered twice, spoken once.";
    String id = submit(user, text);
    queue.enqueue(
        new Job(
            UUID.fromString(id), RequestIds.createdAt(UUID.fromString(id)), Priority.NORMAL, null));
    Delivery first;
    Delivery second;
    try (QueueReader reader = queue.reader("twice-worker")) {
      first = reader.next().orElseThrow();
      second = reader.next().orElseThrow();
    }
    assertThat(first.entryId()).isNotEqualTo(second.entryId());

    // each run in a slot of its own, as the dispatcher runs them
    CompletableFuture<Void> a =
        CompletableFuture.runAsync(() -> processor.process(first, new Slot(new Semaphore(0))));
    CompletableFuture<Void> b =
        CompletableFuture.runAsync(() -> processor.process(second, new Slot(new Semaphore(0))));
    CompletableFuture.allOf(a, b).get();

    assertThat(api.get("/tts/status/" + id, user.key()).json().path("status").asString())
        .isEqualTo("completed");
    assertThat(requests.events(UUID.fromString(id)))
        .containsExactly("queued", "started", "completed");
    assertThat(usage(user)).containsExactly(1L, (long) text.length());
    assertThat(pending(Priority.NORMAL)).isZero();
    assertThat(redis.sync().xlen(TestQueue.stream(Priority.NORMAL))).isZero();
  }

  @Test
  void same_job_delivered_again_after_completion_is_dropped() {
    TestUser user = newUser("again-user", Caller.Role.USER);
    String id = submit(user, "Done already.");
    awaitStatus(user.key(), id, "completed");

    queue.enqueue(
        new Job(
            UUID.fromString(id), RequestIds.createdAt(UUID.fromString(id)), Priority.NORMAL, null));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> redis.sync().xlen(TestQueue.stream(Priority.NORMAL)) == 0);
    assertThat(requests.events(UUID.fromString(id)))
        .containsExactly("queued", "started", "completed");
    assertThat(usage(user)).containsExactly(1L, (long) "Done already.".length());
  }

  @Test
  void queued_request_whose_entry_redis_lost_is_queued_again_by_the_sweeper() {
    TestUser user = newUser("lost-user", Caller.Role.USER);
    worker().stop();
    String id = submit(user, "Redis forgot me, PostgreSQL did not.");
    redis.sync().flushdb(); // Redis restarted without persistence
    queue.ensureGroups();
    worker().start();

    awaitStatus(user.key(), id, "completed");
    assertThat(requests.events(UUID.fromString(id)))
        .containsExactly("queued", "started", "completed");
  }

  @Test
  void processing_request_lost_with_its_worker_and_its_entry_is_retried_by_the_sweeper() {
    TestUser user = newUser("lost-processing-user", Caller.Role.USER);
    worker().stop();
    String id = submit(user, "Both my worker and my queue entry vanished.");
    try (QueueReader ghost = queue.reader("ghost-worker")) {
      assertThat(lifecycle.start(ghost.next().orElseThrow().job().requestId())).isPresent();
    }
    redis.sync().flushdb(); // and then Redis lost everything
    queue.ensureGroups();
    worker().start();

    awaitStatus(user.key(), id, "completed");
    assertThat(requests.events(UUID.fromString(id)))
        .containsExactly("queued", "started", "retried", "started", "completed");
  }

  @Test
  void entry_whose_request_does_not_exist_is_acknowledged_and_dropped() {
    UUID ghost = new RequestIds(Clock.systemUTC()).next();
    queue.enqueue(new Job(ghost, RequestIds.createdAt(ghost), Priority.HIGH, null));

    awaitDrained(Priority.HIGH, Duration.ofSeconds(10));
    assertThat(requests.find(ghost)).isEmpty();
  }

  private String submit(TestUser user, String text) {
    return submitWith(user, text, "mary:cmu-slt-hsmm", "normal");
  }

  private String submitWith(TestUser user, String text, String voice, String priority) {
    var response = api.post("/tts/request", user.key(), Payloads.submit(text, voice, priority));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("request_id").asString();
  }

  private List<Long> usage(TestUser user) {
    return jdbc.sql("SELECT requests, characters FROM usage_daily WHERE user_id = :u")
        .param("u", user.caller().userId())
        .query((rs, row) -> List.of(rs.getLong(1), rs.getLong(2)))
        .single();
  }
}
