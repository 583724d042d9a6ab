package dev.ttsapi.support;

import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.observability.WarmUp;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.queue.QueueKeys;
import dev.ttsapi.queue.TestQueue;
import dev.ttsapi.redis.Redis;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The whole service (all roles) on a random port against real PostgreSQL and Redis, cleaned before
 * each test. Queue timings are short so crash recovery is seen within seconds.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "tts.queue.visibility-timeout=3s",
      "tts.queue.reclaim-interval=500ms",
      "tts.queue.block-timeout=500ms",
      "tts.queue.max-attempts=3",
      "tts.maintenance.sweep-interval=1s",
      "tts.maintenance.sweep-age=3s",
      "tts.request.max-text-length=5000",
      "tts.worker.synthesis-threads=2",
      // Test contexts close at the end of the run: no drain window to wait out.
      "tts.observability.drain-window=0s",
      // Up to 32 test contexts stay cached, each with its pool, on one PostgreSQL of 100
      // connections: an idle context keeps one connection, and gives back the rest within seconds.
      "spring.datasource.hikari.minimum-idle=1",
      "spring.datasource.hikari.idle-timeout=10000",
      // The warm-up runs the hot paths briefly: WarmUpTest covers it, other tests need no JIT.
      "tts.observability.warm-up-hot-paths=200ms",
      // Tests poll and submit fast; rate-limit tests set low limits of their own.
      "tts.ratelimit.requests-per-minute=100000",
      "tts.ratelimit.poll-requests-per-minute=100000",
      "tts.ratelimit.failed-logins-per-minute=100000"
    })
@Import(TestEngines.class)
public abstract class IntegrationTest {

  @DynamicPropertySource
  static void stores(DynamicPropertyRegistry registry) {
    TestStores.register(registry);
  }

  @LocalServerPort protected int port;
  @Autowired protected JdbcClient jdbc;
  @Autowired protected Redis redis;
  @Autowired private ApplicationContext context;
  @Autowired protected UserService users;
  @Autowired private WarmUp warmUp;

  @Autowired
  @Qualifier("jobDispatcher")
  private SmartLifecycle dispatcher;

  protected ApiClient api;

  /** The queue's parts, on its one partition. */
  protected TestQueue queue;

  /** This node's worker: tests stop it to hold jobs in the queue, and start it again. */
  protected SmartLifecycle worker() {
    return dispatcher;
  }

  @BeforeEach
  void cleanStores() {
    // A job of the previous test still running would write its status after the flush: the
    // worker stops first, waiting for its running jobs, and starts again on clean stores.
    if (dispatcher.isRunning()) {
      dispatcher.stop();
    }
    // A context that has just started is still warming up (observability.WarmUp): its trial
    // synthesis would count as an engine call of the first test, its statements would be on that
    // test's wire, and its rehearsal of a submit would meet the TRUNCATE below.
    await().atMost(Duration.ofSeconds(120)).until(warmUp::done);
    truncateTables();
    redis.sync().flushdb();
    queue = new TestQueue(context);
    queue.ensureGroups();
    api = new ApiClient(port);
    if (!dispatcher.isRunning()) {
      dispatcher.start();
    }
  }

  /**
   * Empties the tables. Other cached contexts keep their schedules running on the same database (a
   * sweep every second, hit counts, webhooks); should one of them meet this TRUNCATE, which locks
   * table after table, in a deadlock, PostgreSQL aborts one side and this one tries again.
   */
  private void truncateTables() {
    for (int attempt = 1; ; attempt++) {
      try {
        jdbc.sql("TRUNCATE requests, logs, usage_daily, audio_cache, api_keys, users CASCADE")
            .update();
        return;
      } catch (org.springframework.dao.PessimisticLockingFailureException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  /** A new user and one API key of theirs. */
  protected record TestUser(Caller caller, String key) {}

  protected TestUser newUser(String name, Caller.Role role) {
    Caller caller = users.createUser(name, role);
    return new TestUser(caller, users.issueKey(caller.userId()).key());
  }

  /** Entries of {@code priority}'s stream handed to a worker and not yet acknowledged. */
  protected long pending(Priority priority) {
    return redis.sync().xpending(TestQueue.stream(priority), QueueKeys.GROUP).getCount();
  }

  /** Waits until {@code priority}'s stream holds no entry, waiting or handed out. */
  protected void awaitDrained(Priority priority, Duration within) {
    Awaitility.await()
        .atMost(within)
        .until(() -> redis.sync().xlen(TestQueue.stream(priority)) == 0 && pending(priority) == 0);
  }

  protected JsonNode awaitStatus(String key, String requestId, String status) {
    JsonNode[] last = new JsonNode[1];
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              last[0] = api.get("/tts/status/" + requestId, key).json();
              return status.equals(last[0].path("status").asString());
            });
    return last[0];
  }
}
