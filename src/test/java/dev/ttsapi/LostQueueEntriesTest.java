package dev.ttsapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.redis.Redis;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.StoppableRedis;
import dev.ttsapi.support.TestStores;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An accepted request whose queue entry Redis refused or lost is queued again within seconds, not
 * after the sweeper's {@code sweep-age}: the topology test saw 155 s from a Redis master's failover
 * to the end of the requests accepted around it, nearly all of it waiting for the sweep. Here the
 * sweeper looks only at requests untouched for 10 minutes, so it cannot be what queues them. The
 * node's worker takes no job (its heap guard is set to pause it: heap use is always above 0), so an
 * entry stays in its stream where the test can see it; that workers take entries from there, every
 * other test shows.
 */
class LostQueueEntriesTest {

  private static final String STREAM = "{tts}:q:normal";

  private static StoppableRedis redis;
  private static ConfigurableApplicationContext node;
  private static ApiClient api;
  private static String key;

  @BeforeAll
  static void start() {
    TestStores.assumeLocalStores();
    String database = TestStores.DATABASE + "_lost_entries";
    TestStores.recreateDatabase(database);
    redis = StoppableRedis.start();
    List<String> args =
        List.of(
            "--server.port=0",
            "--tts.backpressure.worker-heap-fraction=0",
            "--tts.stores.data-dir=target/test-data-lost-entries",
            "--tts.stores.database-url=postgresql://postgres@127.0.0.1:5432/" + database,
            "--tts.stores.redis-url=" + redis.url(),
            "--tts.stores.redis-command-timeout=1s",
            "--tts.maintenance.sweep-interval=10m",
            "--tts.maintenance.sweep-age=10m",
            "--tts.maintenance.redis-check-interval=300ms",
            "--tts.maintenance.recovery-sweep-age=2s",
            "--tts.ratelimit.requests-per-minute=100000");
    node = new SpringApplicationBuilder(TtsApiApplication.class).run(args.toArray(String[]::new));
    UserService users = node.getBean(UserService.class);
    Caller user = users.createUser("lost-" + System.nanoTime(), Caller.Role.USER);
    key = users.issueKey(user.userId()).key();
    api = new ApiClient(((WebServerApplicationContext) node).getWebServer().getPort());
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @AfterEach
  void redisTakesWritesAgain() {
    redis.ensureRunning();
    try (Redis direct = Redis.standalone(redis.url(), Duration.ofSeconds(2))) {
      direct.sync().configSet("maxmemory", "0");
    }
  }

  @Test
  void a_request_accepted_while_redis_refuses_writes_is_queued_once_it_takes_them_again() {
    try (Redis direct = Redis.standalone(redis.url(), Duration.ofSeconds(2))) {
      // Out of memory under noeviction: every write is refused, the server and its run id stay.
      direct.sync().configSet("maxmemory-policy", "noeviction");
      direct.sync().configSet("maxmemory", "1");

      String id = submit("Accepted while Redis refused every write.");
      assertThat(queued(direct, id)).as("Redis refused the entry").isFalse();

      direct.sync().configSet("maxmemory", "0");
      await()
          .atMost(Duration.ofSeconds(30))
          .alias("queued by the node that accepted it, not by a sweep 10 minutes later")
          .until(() -> queued(direct, id));
    }
  }

  @Test
  void entries_lost_when_redis_restarts_empty_are_queued_again_without_waiting_for_the_sweep() {
    String id = submit("Queued before Redis lost everything.");
    try (Redis direct = Redis.standalone(redis.url(), Duration.ofSeconds(2))) {
      assertThat(queued(direct, id)).isTrue();
    }

    redis.kill();
    redis.startAgain(); // empty, with a new run id: what a failover to a lagging replica looks like

    try (Redis direct = Redis.standalone(redis.url(), Duration.ofSeconds(2))) {
      assertThat(queued(direct, id)).as("the restart lost the entry").isFalse();
      await()
          .atMost(Duration.ofSeconds(30))
          .alias("queued again by the maintenance node once it saw the new run id")
          .until(() -> queued(direct, id));
    }
  }

  private static String submit(String text) {
    Response accepted = api.post("/tts/request", key, Payloads.submit(text, "wav"));
    assertThat(accepted.status()).as(accepted.text()).isEqualTo(200);
    return accepted.json().path("request_id").asString();
  }

  private static boolean queued(Redis direct, String requestId) {
    try {
      return direct.sync().xrange(STREAM, io.lettuce.core.Range.create("-", "+")).stream()
          .anyMatch(entry -> requestId.equals(entry.getBody().get("request_id")));
    } catch (RuntimeException e) {
      return false;
    }
  }
}
