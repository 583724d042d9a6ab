package dev.ttsapi.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.audio.FileSystemAudioStore;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.queue.Delivery;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.queue.QueueKeys;
import dev.ttsapi.queue.QueueReader;
import dev.ttsapi.queue.TestQueue;
import dev.ttsapi.request.JobLifecycle;
import dev.ttsapi.request.RequestRepository;
import dev.ttsapi.request.RequestStatus;
import dev.ttsapi.request.TtsRequest;
import dev.ttsapi.support.FaultEngine;
import dev.ttsapi.support.GateEngine;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.TestStores;
import io.lettuce.core.Consumer;
import io.lettuce.core.KillArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * No failure in any stage of a consumer stops consumption: for each stage a real failure is made to
 * happen there (a killed connection, a malformed entry, a deleted row, PostgreSQL refusing a
 * statement, an engine that throws, an audio directory that cannot be written, a key of the wrong
 * type), and afterwards a normal job submitted to the same, never restarted, worker completes.
 *
 * <p>PostgreSQL refuses statements through a trigger on the events table that raises for chosen
 * (request, event) pairs: every state change writes its event in the same statement or transaction,
 * so the whole change fails as it would on a real error.
 */
class ConsumerSurvivesFailuresTest extends IntegrationTest {

  @Autowired RequestRepository requests;
  @Autowired JobLifecycle lifecycle;
  @Autowired AudioStore audioStore;
  @Autowired FaultEngine faults;
  @Autowired GateEngine gate;

  private TestUser user;

  @BeforeEach
  void userAndRefusals() {
    user = newUser("stages-" + UUID.randomUUID(), Caller.Role.USER);
    jdbc.sql("CREATE TABLE IF NOT EXISTS test_refused_events (request_id uuid, event text)")
        .update();
    jdbc.sql(
            """
            CREATE OR REPLACE FUNCTION test_refuse_event() RETURNS trigger AS $$
            BEGIN
              IF EXISTS (SELECT 1 FROM test_refused_events
                         WHERE request_id = NEW.request_id AND event = NEW.event) THEN
                RAISE EXCEPTION 'test refuses % of %', NEW.event, NEW.request_id;
              END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql""")
        .update();
    jdbc.sql("DROP TRIGGER IF EXISTS test_refuse_event ON logs").update();
    jdbc.sql(
            "CREATE TRIGGER test_refuse_event BEFORE INSERT ON logs FOR EACH ROW"
                + " EXECUTE FUNCTION test_refuse_event()")
        .update();
  }

  @AfterEach
  void liftRefusals() {
    gate.open();
    jdbc.sql("DROP TRIGGER IF EXISTS test_refuse_event ON logs").update();
    jdbc.sql("DROP TABLE IF EXISTS test_refused_events").update();
  }

  // --- read from Redis

  @Test
  void reader_whose_connection_is_killed_reconnects_and_keeps_consuming() {
    assertNormalJobCompletes();
    // The worker's blocking reads are the clients of this database waiting in XREADGROUP.
    await().atMost(Duration.ofSeconds(10)).until(() -> !readerClientIds().isEmpty());
    for (String id : readerClientIds()) {
      redis.sync().clientKill(KillArgs.Builder.id(Long.parseLong(id)));
    }

    assertNormalJobCompletes();
  }

  @Test
  void reader_meeting_a_key_of_the_wrong_type_backs_off_and_reads_again_once_it_is_fixed() {
    // The high stream is read first: every read now fails there (WRONGTYPE).
    redis.sync().del(TestQueue.stream(Priority.HIGH));
    redis.sync().set(TestQueue.stream(Priority.HIGH), "not a stream");

    String waiting = submit("Waiting while the queue is broken.");
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> status(waiting) == RequestStatus.QUEUED);
    redis.sync().del(TestQueue.stream(Priority.HIGH));
    queue.ensureGroups();

    awaitStatus(user.key(), waiting, "completed");
    assertNormalJobCompletes();
  }

  // --- decode the entry

  @Test
  void malformed_entries_are_dropped_and_the_reader_goes_on() {
    String stream = TestQueue.stream(Priority.NORMAL);
    redis
        .sync()
        .xadd(stream, Map.of("request_id", "not-a-uuid", "created_at", "2026-01-01T00:00:00Z"));
    redis
        .sync()
        .xadd(stream, Map.of("request_id", UUID.randomUUID().toString(), "created_at", "someday"));
    redis.sync().xadd(stream, Map.of("something", "else"));

    assertNormalJobCompletes();
    await().atMost(Duration.ofSeconds(10)).until(() -> redis.sync().xlen(stream) == 0);
    assertThat(pending(Priority.NORMAL)).isZero();
  }

  @Test
  void malformed_entry_held_by_a_dead_worker_does_not_stop_the_reclaimer() {
    worker().stop();
    String stream = TestQueue.stream(Priority.NORMAL);
    redis.sync().xadd(stream, Map.of("request_id", "not-a-uuid", "created_at", "yesterday"));
    String id = submit("Held by a dead worker behind a malformed entry.");
    // A worker takes both and dies: both are pending, the malformed one first.
    List<StreamMessage<String, String>> taken =
        redis
            .sync()
            .xreadgroup(
                Consumer.from(QueueKeys.GROUP, "dead-worker"),
                XReadArgs.Builder.count(2),
                XReadArgs.StreamOffset.lastConsumed(stream));
    assertThat(taken).hasSize(2);
    worker().start();

    awaitStatus(user.key(), id, "completed");
    awaitDrained(Priority.NORMAL, Duration.ofSeconds(10));
    assertNormalJobCompletes();
  }

  // --- load the row

  @Test
  void entry_whose_row_was_deleted_is_dropped() {
    worker().stop();
    String id = submit("My row is gone.");
    jdbc.sql("DELETE FROM requests WHERE id = :id").param("id", UUID.fromString(id)).update();
    worker().start();

    awaitDrained(Priority.NORMAL, Duration.ofSeconds(10));
    assertNormalJobCompletes();
  }

  // --- start transition

  @Test
  void start_refused_by_postgres_puts_the_job_back_and_other_jobs_still_run() {
    worker().stop();
    String refused = submit("PostgreSQL will not let me start.");
    refuse(refused, "started");
    worker().start();

    assertNormalJobCompletes();
    assertThat(status(refused)).isEqualTo(RequestStatus.QUEUED);
    allow(refused, "started");

    awaitStatus(user.key(), refused, "completed");
    assertThat(requests.events(UUID.fromString(refused)))
        .containsExactly("queued", "started", "completed");
  }

  @Test
  void start_refused_every_time_fails_after_the_last_attempt_instead_of_going_round_forever() {
    worker().stop();
    String refused = submit("PostgreSQL will never let me start.");
    refuse(refused, "started");
    worker().start();

    // A refused start counts no attempt; each time, the job is handed out again after the
    // visibility timeout, until it has been taken max-attempts (3) times.
    JsonNode failed = awaitStatus(user.key(), refused, "failed");
    assertThat(failed.path("error").asString()).contains("taken by a worker 3 times");
    assertThat(requests.events(UUID.fromString(refused))).containsExactly("queued", "failed");
    assertThat(queue.deadLetterCount()).isEqualTo(1);
    assertThat(queue.admittedJobs()).doesNotContainKey(UUID.fromString(refused));
    assertNormalJobCompletes();
  }

  // --- engine

  @Test
  void engine_that_throws_or_overflows_its_stack_fails_its_job_and_the_next_one_runs() {
    String thrown = submit("Say " + FaultEngine.THROW + " now.");
    String overflowed = submit("Say " + FaultEngine.STACK_OVERFLOW + " now.");

    assertThat(awaitStatus(user.key(), thrown, "failed").path("error").asString())
        .contains("told to throw");
    assertThat(awaitStatus(user.key(), overflowed, "failed").path("error").asString())
        .contains("StackOverflowError");
    assertThat(requests.find(UUID.fromString(overflowed)).orElseThrow().attempt()).isEqualTo(3);
    assertNormalJobCompletes();
  }

  // --- audio store write

  @Test
  void audio_store_that_cannot_write_fails_the_job_and_the_next_one_runs() throws Exception {
    worker().stop();
    String id = submit("My audio has nowhere to go.");
    String key = requests.find(UUID.fromString(id)).orElseThrow().contentKey();
    // Where the audio's directory should be, a file: creating the directory fails (as root, a
    // read-only directory would not stop the write).
    Path root = ((FileSystemAudioStore) audioStore).root();
    Path blocker = root.resolve(key.substring(0, 2)).resolve(key.substring(2, 4));
    Files.createDirectories(blocker.getParent());
    Files.deleteIfExists(blocker);
    Files.writeString(blocker, "in the way");
    try {
      worker().start();

      assertThat(awaitStatus(user.key(), id, "failed").path("error").asString())
          .contains(blocker.toString());
      assertNormalJobCompletes();
    } finally {
      Files.deleteIfExists(blocker);
    }
  }

  // --- completion statement

  @Test
  void completion_refused_by_postgres_fails_the_attempt_with_its_error_not_the_worker() {
    worker().stop();
    String refused = submit("PostgreSQL will not let me complete.");
    refuse(refused, "completed");
    worker().start();

    assertThat(awaitStatus(user.key(), refused, "failed").path("error").asString())
        .contains("test refuses completed");
    assertThat(requests.events(UUID.fromString(refused)))
        .containsExactly("queued", "started", "retried", "started", "retried", "started", "failed");
    assertThat(usageRequests()).isZero();
    assertNormalJobCompletes();
  }

  @Test
  void row_deleted_while_its_job_ran_is_dropped_at_completion() {
    String id = submitHeldInTheEngine("Delete me midway.");
    jdbc.sql("DELETE FROM requests WHERE id = :id").param("id", UUID.fromString(id)).update();
    gate.open();

    awaitDrained(Priority.NORMAL, Duration.ofSeconds(10));
    assertThat(requests.find(UUID.fromString(id))).isEmpty();
    assertNormalJobCompletes();
  }

  // --- ack and XDEL

  @Test
  void ack_that_fails_leaves_the_entry_to_the_reclaimer_and_the_job_completes_once() {
    String id = submitHeldInTheEngine("Ack me if you can.");
    // The stream is moved aside and its key taken by a string: XACK and XDEL fail (WRONGTYPE).
    String aside = "{tts}:q:normal-aside";
    redis.sync().rename(TestQueue.stream(Priority.NORMAL), aside);
    redis.sync().set(TestQueue.stream(Priority.NORMAL), "not a stream");
    gate.open();
    await().atMost(Duration.ofSeconds(10)).until(() -> status(id) == RequestStatus.COMPLETED);
    redis.sync().del(TestQueue.stream(Priority.NORMAL));
    redis.sync().rename(aside, TestQueue.stream(Priority.NORMAL));

    // Its entry is still pending; the reclaimer finds the row completed and drops it.
    awaitDrained(Priority.NORMAL, Duration.ofSeconds(15));
    assertThat(requests.events(UUID.fromString(id)))
        .containsExactly("queued", "started", "completed");
    assertThat(usageRequests()).isEqualTo(1);
    assertNormalJobCompletes();
  }

  // --- status hash write and publish

  @Test
  void status_hash_that_cannot_be_written_does_not_stop_the_job() {
    worker().stop();
    String id = submit("My status hash is broken.");
    redis.sync().del("tts_status:" + id);
    redis.sync().set("tts_status:" + id, "not a hash"); // HSET and the progress script fail
    worker().start();

    await().atMost(Duration.ofSeconds(30)).until(() -> status(id) == RequestStatus.COMPLETED);
    assertNormalJobCompletes();
  }

  // --- reclaimer

  @Test
  void reclaimer_handles_the_rest_of_its_batch_when_one_entry_fails() {
    worker().stop();
    String refused = submit("PostgreSQL will not let me be retried.");
    String other = submit("I was taken by the same dead worker.");
    refuse(refused, "retried");
    try (QueueReader dead = queue.reader("dead-worker")) {
      for (int i = 0; i < 2; i++) {
        Delivery delivery = dead.next().orElseThrow();
        assertThat(lifecycle.start(delivery.job().requestId())).isPresent();
      }
    }
    worker().start();

    awaitStatus(user.key(), other, "completed");
    assertThat(status(refused)).isEqualTo(RequestStatus.PROCESSING);
    allow(refused, "retried");
    awaitStatus(user.key(), refused, "completed");
    assertNormalJobCompletes();
  }

  // --- sweeper

  @Test
  void sweeper_requeues_lost_requests_past_a_malformed_entry() {
    worker().stop();
    redis
        .sync()
        .xadd(
            TestQueue.stream(Priority.NORMAL),
            Map.of("request_id", "not-a-uuid", "created_at", "x"));
    String lost = submit("Redis lost my entry.");
    List<StreamMessage<String, String>> entries =
        redis
            .sync()
            .xrange(TestQueue.stream(Priority.NORMAL), io.lettuce.core.Range.create("-", "+"));
    redis.sync().xdel(TestQueue.stream(Priority.NORMAL), entries.getLast().getId());

    // sweep-age is 3 s: the sweeper queues it again although it meets the malformed entry.
    await().atMost(Duration.ofSeconds(20)).until(() -> streamHolds(Priority.NORMAL, lost));
    worker().start();

    awaitStatus(user.key(), lost, "completed");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> redis.sync().xlen(TestQueue.stream(Priority.NORMAL)) == 0);
    assertNormalJobCompletes();
  }

  // --- helpers

  /** The stage's failure is behind us: the same worker, never restarted, completes a new job. */
  private void assertNormalJobCompletes() {
    String id = submit("A normal job " + UUID.randomUUID() + ".");
    awaitStatus(user.key(), id, "completed");
    assertThat(worker().isRunning()).isTrue();
  }

  private String submit(String text) {
    var response =
        api.post("/tts/request", user.key(), Payloads.submit(text, FaultEngine.VOICE, "normal"));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("request_id").asString();
  }

  /** Submits a job to the gate voice and waits until the engine holds it (the gate closed). */
  private String submitHeldInTheEngine(String text) {
    gate.close();
    int callsBefore = gate.calls();
    var response =
        api.post("/tts/request", user.key(), Payloads.submit(text, GateEngine.VOICE, "normal"));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> gate.calls() > callsBefore);
    return response.json().path("request_id").asString();
  }

  private RequestStatus status(String id) {
    return requests.find(UUID.fromString(id)).map(TtsRequest::status).orElseThrow();
  }

  private void refuse(String id, String event) {
    jdbc.sql("INSERT INTO test_refused_events VALUES (:id, :event)")
        .param("id", UUID.fromString(id))
        .param("event", event)
        .update();
  }

  private void allow(String id, String event) {
    jdbc.sql("DELETE FROM test_refused_events WHERE request_id = :id AND event = :event")
        .param("id", UUID.fromString(id))
        .param("event", event)
        .update();
  }

  private boolean streamHolds(Priority priority, String requestId) {
    return redis
        .sync()
        .xrange(TestQueue.stream(priority), io.lettuce.core.Range.create("-", "+"))
        .stream()
        .anyMatch(m -> requestId.equals(m.getBody().get("request_id")));
  }

  private long usageRequests() {
    return jdbc.sql("SELECT coalesce(sum(requests), 0) FROM usage_daily WHERE user_id = :u")
        .param("u", user.caller().userId())
        .query(Long.class)
        .single();
  }

  /** Ids of the clients of this Redis database blocked in XREADGROUP: the worker's readers. */
  private List<String> readerClientIds() {
    String db = "db=" + TestStores.REDIS_DB;
    return Arrays.stream(redis.sync().clientList().split("\n"))
        .filter(line -> Arrays.asList(line.split(" ")).contains(db))
        .filter(line -> line.contains("cmd=xreadgroup"))
        .map(line -> line.replaceAll("^id=(\\d+) .*", "$1").trim())
        .toList();
  }
}
