package dev.ttsapi.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.TtsApiApplication;
import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.audio.Pcm;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.engine.Gender;
import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.Voice;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.queue.QueueReader;
import dev.ttsapi.request.JobLifecycle;
import dev.ttsapi.request.RequestService;
import dev.ttsapi.request.Submission;
import dev.ttsapi.request.Utterances;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.TestStores;
import dev.ttsapi.support.Tones;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Fairness between users (issue 9, item 13): one user's backlog, however long, holds another user's
 * request back by at most the per-user cap's worth of jobs, and no user runs more than the cap at
 * once; held requests survive worker restarts, crashes and Redis losing its data, and each
 * completes once. The worker has more slots than the cap, so it is the cap that limits a user.
 */
@TestPropertySource(
    properties = {
      "tts.queue.per-user-max-jobs=2",
      "tts.worker.slots=4",
      "tts.worker.synthesis-threads=4"
    })
class FairnessTest extends IntegrationTest {

  private static final int CAP = 2;

  @Autowired RequestService requests;
  @Autowired Utterances utterances;
  @Autowired JobLifecycle lifecycle;
  @Autowired TaggedEngine engine;
  @Autowired DataSource dataSource;

  @BeforeEach
  void resetEngine() {
    engine.reset();
  }

  @Test
  void a_single_request_waits_for_one_job_not_for_other_users_backlogs() throws Exception {
    TestUser alice = newUser("bulk-alice", Caller.Role.USER);
    TestUser carol = newUser("bulk-carol", Caller.Role.USER);
    TestUser bob = newUser("single-bob", Caller.Role.USER);
    TestUser admin = newUser("fair-admin", Caller.Role.ADMIN);
    engine.close();
    try {
      // Through the service's submit, the API's own enqueue path, in parallel: 5,000 HTTP calls
      // would take minutes on two cores.
      submitInParallel(alice, 5000, "alpha");
      submitInParallel(carol, 200, "charlie");
      // Alice's and Carol's first two fill the four slots; all else of theirs is held.
      await().atMost(Duration.ofSeconds(30)).until(() -> engine.runningNow("alpha") == CAP);
      await().atMost(Duration.ofSeconds(30)).until(() -> engine.runningNow("charlie") == CAP);

      String bobsId = submitOverApi(bob, "bravo the only one");

      // The held requests count as waiting: /health/detailed, the admin overview and the metrics
      // show them, and apart.
      long held = 5000 - CAP + 200 - CAP;
      long inStreams = 2 * CAP + 1;
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                JsonNode app = api.get("/health/detailed", admin.key()).json().path("application");
                assertThat(app.path("queue_held").asLong()).isEqualTo(held);
                assertThat(app.path("queue_held_by_priority").path("normal").asLong())
                    .isEqualTo(held);
                assertThat(app.path("queue_length").asLong()).isEqualTo(held + inStreams);
              });
      JsonNode overview = api.get("/admin/console/overview", admin.key()).json();
      assertThat(overview.path("queue_held_total").asLong()).isEqualTo(held);
      assertThat(overview.path("queue_depth").path("normal").asLong()).isEqualTo(held + inStreams);
      Matcher heldMetric =
          Pattern.compile("(?m)^tts_queue_held\\{[^}]*priority=\"normal\"[^}]*} (\\S+)$")
              .matcher(api.get("/metrics", null).text());
      assertThat(heldMetric.find()).isTrue();
      assertThat(Double.parseDouble(heldMetric.group(1))).isEqualTo(held);

      // One job ends: the slot it frees goes to Bob, ahead of the 5,196 others waiting.
      engine.letOneThrough();
      await().atMost(Duration.ofSeconds(30)).until(() -> engine.runningNow("bravo") == 1);
      assertThat(engine.startOrder()).hasSize(2 * CAP + 1).endsWith("bravo the only one");

      engine.open();
      awaitStatus(bob.key(), bobsId, "completed");
      assertThat(queuedCount(alice)).isGreaterThan(4000);
    } finally {
      engine.open();
    }
    assertThat(engine.mostAtOnce("alpha")).isLessThanOrEqualTo(CAP);
    assertThat(engine.mostAtOnce("charlie")).isLessThanOrEqualTo(CAP);
  }

  @Test
  void a_user_never_runs_more_than_the_cap_at_once_while_another_user_gets_a_slot() {
    TestUser alice = newUser("capped-alice", Caller.Role.USER);
    TestUser bob = newUser("uncapped-bob", Caller.Role.USER);
    List<String> alices = new ArrayList<>();
    engine.close();
    try {
      for (int i = 0; i < 6; i++) {
        alices.add(submitOverApi(alice, "alpha held number " + i));
      }
      String bobs = submitOverApi(bob, "bravo gets in");

      // Four slots: Alice's two and Bob's one run, one slot stays free, Alice's others wait.
      await().atMost(Duration.ofSeconds(30)).until(() -> engine.runningNow("bravo") == 1);
      await().atMost(Duration.ofSeconds(30)).until(() -> engine.runningNow("alpha") == CAP);
      assertThat(queuedCount(alice)).isEqualTo(6 - CAP);
      openAndAwaitCompleted(bob, bobs, alice, alices);
    } finally {
      engine.open();
    }
    assertEachStartedOnceAndTheCapRanAtOnce(alices.size());
  }

  @Test
  void the_cap_holds_across_worker_nodes() {
    Assumptions.assumeTrue(
        TestStores.reachable(5432) && TestStores.reachable(TestStores.REDIS_PORT),
        "a second node can only share stores that run outside this process");
    TestUser alice = newUser("two-node-alice", Caller.Role.USER);
    TestUser bob = newUser("two-node-bob", Caller.Role.USER);
    List<String> alices = new ArrayList<>();
    worker().stop();
    try (ConfigurableApplicationContext second = startWorkerNode()) {
      engine.close();
      for (int i = 0; i < 6; i++) {
        alices.add(submitOverApi(alice, "alpha spread number " + i));
      }
      // The second node's one slot takes one of Alice's jobs; this node's four take her other
      // place's job and Bob's, and leave two slots free while Alice's four others wait.
      await().atMost(Duration.ofSeconds(30)).until(() -> engine.runningNow("alpha") == 1);
      worker().start();
      String bobs = submitOverApi(bob, "bravo on the first node");
      await().atMost(Duration.ofSeconds(30)).until(() -> engine.runningNow("alpha") == CAP);
      await().atMost(Duration.ofSeconds(30)).until(() -> engine.runningNow("bravo") == 1);
      openAndAwaitCompleted(bob, bobs, alice, alices);
    } finally {
      engine.open();
    }
    assertEachStartedOnceAndTheCapRanAtOnce(alices.size());
  }

  /** A worker-only node on the same stores, with one slot, sharing this test's engine. */
  private ConfigurableApplicationContext startWorkerNode() {
    return new SpringApplicationBuilder(TtsApiApplication.class)
        .initializers(context -> context.getBeanFactory().registerSingleton("taggedEngine", engine))
        .run(
            "--server.port=0",
            "--tts.roles=worker",
            "--tts.worker.slots=1",
            "--tts.worker.synthesis-threads=1",
            "--tts.queue.per-user-max-jobs=" + CAP,
            "--tts.queue.visibility-timeout=3s",
            "--tts.queue.reclaim-interval=500ms",
            "--tts.queue.block-timeout=500ms",
            "--tts.queue.max-attempts=3",
            "--tts.stores.data-dir=target/test-data-fair-node",
            "--tts.stores.database-url=postgresql://postgres@127.0.0.1:5432/" + TestStores.DATABASE,
            "--tts.stores.redis-url=" + TestStores.redisUrl());
  }

  @Test
  void a_users_held_high_priority_request_goes_in_before_their_older_normal_ones() {
    TestUser alice = newUser("priority-alice", Caller.Role.USER);
    worker().stop();
    submitOverApi(alice, "alpha normal one", "normal");
    submitOverApi(alice, "alpha normal two", "normal");
    submitOverApi(alice, "alpha normal three", "normal");
    String urgent = submitOverApi(alice, "alpha high four", "high");
    assertThat(inStreams(alice)).isEqualTo(CAP);
    engine.close();
    try {
      worker().start();
      await().atMost(Duration.ofSeconds(30)).until(() -> engine.runningNow("alpha") == CAP);

      // One of the two admitted jobs ends, so one place frees: it goes to the high-priority
      // request, though "normal three" was sent before it. (Freeing both places at once would let
      // two slots start the two promoted jobs in either order, which says nothing about admission.)
      engine.letOneThrough();
      await().atMost(Duration.ofSeconds(30)).until(() -> engine.starts("alpha") == CAP + 1);
      assertThat(engine.startOrder().get(CAP)).isEqualTo("alpha high four");
      engine.open();
      awaitStatus(alice.key(), urgent, "completed");
      await().atMost(Duration.ofSeconds(30)).until(() -> queuedCount(alice) == 0);
      await().atMost(Duration.ofSeconds(30)).until(() -> engine.starts("alpha") == 4);
    } finally {
      engine.open();
    }
  }

  @Test
  void a_cancelled_held_request_is_dropped_and_the_next_goes_in() {
    TestUser alice = newUser("cancel-alice", Caller.Role.USER);
    worker().stop();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(submitOverApi(alice, "alpha cancel test " + (char) ('a' + i)));
    }
    assertThat(api.delete("/tts/request/" + ids.get(2), alice.key()).status()).isEqualTo(200);
    worker().start();

    awaitStatus(alice.key(), ids.get(3), "completed");
    awaitStatus(alice.key(), ids.get(0), "completed");
    awaitStatus(alice.key(), ids.get(1), "completed");
    assertThat(api.get("/tts/status/" + ids.get(2), alice.key()).json().path("status").asString())
        .isEqualTo("cancelled");
    assertThat(engine.startOrder()).doesNotContain("alpha cancel test c");
    assertQueueEmpty();
  }

  @Test
  void held_requests_all_complete_once_across_a_restart_and_a_crashed_worker() throws Exception {
    TestUser alice = newUser("restart-alice", Caller.Role.USER);
    engine.delay(Duration.ofMillis(5));
    List<UUID> ids = submitInParallel(alice, 200, "alpha");

    await().atMost(Duration.ofSeconds(60)).until(() -> completedCount(alice) >= 40);
    worker().stop(); // a restart: running jobs finish or go back, held ones stay held
    assertThat(completedCount(alice)).isLessThan(200);
    try (QueueReader ghost = queue.reader("crashing-worker")) {
      // a worker takes one of Alice's jobs, starts it and dies: its place stays taken until the
      // reclaimer hands the job out again
      assertThat(lifecycle.start(ghost.next().orElseThrow().job().requestId())).isPresent();
    }
    worker().start();

    awaitAllCompletedOnceUnderTheCap(alice, ids, Duration.ofSeconds(120));
  }

  @Test
  void held_requests_come_back_when_redis_loses_everything() throws Exception {
    TestUser alice = newUser("flushed-alice", Caller.Role.USER);
    worker().stop();
    List<UUID> ids = submitInParallel(alice, 30, "alpha");
    assertThat(inStreams(alice)).isEqualTo(CAP);
    redis.sync().flushdb(); // Redis restarted without persistence: entries, places, held lists
    queue.ensureGroups();
    worker().start();

    // the sweeper finds them in PostgreSQL and admits them again under the cap
    awaitAllCompletedOnceUnderTheCap(alice, ids, Duration.ofSeconds(90));
  }

  @Test
  void places_of_requests_that_no_longer_exist_are_freed_by_the_sweeper() throws SQLException {
    TestUser alice = newUser("leaked-alice", Caller.Role.USER);
    worker().stop();
    String id;
    // The sweeper runs every second here; while the ghosts are set up it must wait, as it would
    // for another node's sweep, or it could free them before the request is held behind them.
    try (SweeperPaused paused = new SweeperPaused(dataSource)) {
      // As if Alice's two running requests had been deleted (retention dropped their partition)
      // while Redis kept their places: she is at her cap with nothing running.
      UUID userId = alice.caller().userId();
      for (int i = 0; i < CAP; i++) {
        redis.sync().hset("{tts}:q:admitted", UUID.randomUUID().toString(), userId.toString());
      }
      redis.sync().hset("{tts}:q:admitted-count", userId.toString(), Integer.toString(CAP));
      id = submitOverApi(alice, "alpha behind ghosts");
      assertThat(inStreams(alice)).isEqualTo(CAP);
      assertThat(queue.heldDepths()).containsEntry(Priority.NORMAL, 1L);
    }
    worker().start();

    awaitStatus(alice.key(), id, "completed");
    assertQueueEmpty();
  }

  // --- helpers ---

  /** Lets every synthesis through and waits for Bob's request and all of Alice's to complete. */
  private void openAndAwaitCompleted(
      TestUser bob, String bobs, TestUser alice, List<String> alices) {
    engine.open();
    awaitStatus(bob.key(), bobs, "completed");
    for (String id : alices) {
      awaitStatus(alice.key(), id, "completed");
    }
  }

  /**
   * Alice's jobs each started once, exactly the cap's worth ran at once, and the queue is empty.
   */
  private void assertEachStartedOnceAndTheCapRanAtOnce(int alicesJobs) {
    assertThat(engine.mostAtOnce("alpha")).isEqualTo(CAP);
    assertThat(engine.starts("alpha")).isEqualTo(alicesJobs);
    assertQueueEmpty();
  }

  /**
   * Every one of {@code ids} completes, once each with one usage charge, the user never ran more
   * than the cap at once, and the queue ends empty.
   */
  private void awaitAllCompletedOnceUnderTheCap(TestUser user, List<UUID> ids, Duration within) {
    await().atMost(within).until(() -> completedCount(user) == ids.size());
    assertCompletedOnceEach(user, ids);
    assertThat(engine.mostAtOnce("alpha")).isLessThanOrEqualTo(CAP);
    assertQueueEmpty();
  }

  /**
   * Holds the sweeper's advisory lock (see MaintenanceLock) on a connection of its own until
   * closed, so no sweep runs meanwhile; one already running is waited for.
   */
  private static final class SweeperPaused implements AutoCloseable {
    private final Connection connection;

    SweeperPaused(DataSource dataSource) throws SQLException {
      connection = dataSource.getConnection();
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "SELECT pg_advisory_xact_lock(hashtext('tts-maintenance'), hashtext('sweeper'))");
      }
    }

    @Override
    public void close() throws SQLException {
      try (connection) {
        connection.rollback();
      }
    }
  }

  private List<UUID> submitInParallel(TestUser user, int count, String tag) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<UUID>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String text = tag + " request " + i;
        futures.add(
            pool.submit(
                () ->
                    requests
                        .submit(
                            new Submission(
                                user.caller().userId(),
                                Priority.NORMAL,
                                utterances.of(
                                    text,
                                    TaggedEngine.VOICE,
                                    null,
                                    SpeechSettings.NORMAL,
                                    AudioFormat.WAV,
                                    null)))
                        .request()
                        .id()));
      }
      List<UUID> ids = new ArrayList<>();
      for (Future<UUID> future : futures) {
        ids.add(future.get(60, TimeUnit.SECONDS));
      }
      return ids;
    } finally {
      pool.shutdown();
    }
  }

  private String submitOverApi(TestUser user, String text) {
    return submitOverApi(user, text, "normal");
  }

  private String submitOverApi(TestUser user, String text, String priority) {
    var response =
        api.post("/tts/request", user.key(), Payloads.submit(text, TaggedEngine.VOICE, priority));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("request_id").asString();
  }

  /** The user's jobs that hold a place in the streams. */
  private long inStreams(TestUser user) {
    String userId = user.caller().userId().toString();
    return queue.admittedJobs().values().stream().filter(u -> u.toString().equals(userId)).count();
  }

  private long queuedCount(TestUser user) {
    return countWithStatus(user, "queued");
  }

  private long completedCount(TestUser user) {
    return countWithStatus(user, "completed");
  }

  private long countWithStatus(TestUser user, String status) {
    return jdbc.sql("SELECT count(*) FROM requests WHERE user_id = :u AND status = :s")
        .param("u", user.caller().userId())
        .param("s", status)
        .query(Long.class)
        .single();
  }

  /** Every request completed, with one completion event and one usage charge each. */
  private void assertCompletedOnceEach(TestUser user, List<UUID> ids) {
    Map<UUID, Long> completions = new ConcurrentHashMap<>();
    jdbc.sql(
            "SELECT r.id, count(l.id) FROM requests r LEFT JOIN logs l ON l.request_id = r.id"
                + " AND l.event = 'completed' WHERE r.user_id = :u GROUP BY r.id")
        .param("u", user.caller().userId())
        .query((rs, row) -> completions.put(rs.getObject(1, UUID.class), rs.getLong(2)))
        .list();
    assertThat(completions.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(completions.values()).allMatch(n -> n == 1L);
    assertThat(
            jdbc.sql("SELECT sum(requests) FROM usage_daily WHERE user_id = :u")
                .param("u", user.caller().userId())
                .query(Long.class)
                .single())
        .isEqualTo(ids.size());
  }

  /** Nothing waits, runs or holds a place any more. */
  private void assertQueueEmpty() {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(queue.depths().values()).allMatch(n -> n == 0);
              assertThat(queue.heldDepths().values()).allMatch(n -> n == 0);
              assertThat(queue.admittedJobs()).isEmpty();
              assertThat(queue.usersWithHeldJobs()).isEmpty();
            });
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class Engines {
    @Bean
    TaggedEngine taggedEngine() {
      return new TaggedEngine();
    }
  }

  /**
   * A fast test engine that records, per tag (the text's first word, one per user here), the order
   * syntheses started in and the most that ran at once; it can hold every synthesis at a gate.
   */
  static final class TaggedEngine implements SpeechEngine {

    static final String VOICE = "tagged:order";

    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> most = new ConcurrentHashMap<>();
    private final List<String> started = Collections.synchronizedList(new ArrayList<>());
    // null while open; closed, it lets through one synthesis per permit
    private volatile Semaphore gate;
    private volatile Duration delay = Duration.ZERO;

    void reset() {
      running.clear();
      most.clear();
      started.clear();
      delay = Duration.ZERO;
      open();
    }

    void close() {
      gate = new Semaphore(0);
    }

    void letOneThrough() {
      gate.release();
    }

    void open() {
      Semaphore closed = gate;
      gate = null;
      if (closed != null) {
        closed.release(100_000);
      }
    }

    void delay(Duration delay) {
      this.delay = delay;
    }

    int runningNow(String tag) {
      return running.getOrDefault(tag, new AtomicInteger()).get();
    }

    int mostAtOnce(String tag) {
      return most.getOrDefault(tag, new AtomicInteger()).get();
    }

    int starts(String tag) {
      synchronized (started) {
        return (int) started.stream().filter(t -> tag(t).equals(tag)).count();
      }
    }

    List<String> startOrder() {
      synchronized (started) {
        return List.copyOf(started);
      }
    }

    @Override
    public String id() {
      return "tagged";
    }

    @Override
    public String version() {
      return "1";
    }

    @Override
    public List<Voice> voices() {
      return List.of(Voice.of("tagged", "order", "en-x-tagged", Gender.NEUTRAL, 16000));
    }

    @Override
    public Pcm synthesize(String text, Voice voice, SpeechSettings settings) {
      String tag = tag(text);
      started.add(text);
      int now = running.computeIfAbsent(tag, t -> new AtomicInteger()).incrementAndGet();
      most.computeIfAbsent(tag, t -> new AtomicInteger()).accumulateAndGet(now, Math::max);
      try {
        Semaphore closed = gate;
        if (closed != null && !closed.tryAcquire(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never opened the gate");
        }
        if (!delay.isZero()) {
          Thread.sleep(delay);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } finally {
        running.get(tag).decrementAndGet();
      }
      return Tones.square(160, 16000);
    }

    private static String tag(String text) {
      String trimmed = text.strip().toLowerCase(Locale.ROOT);
      int space = trimmed.indexOf(' ');
      return space < 0 ? trimmed : trimmed.substring(0, space);
    }
  }
}
