package dev.ttsapi.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.TtsApiApplication;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.redis.Redis;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.TestStores;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.JsonNode;

/**
 * An API node with {@code DATABASE_REPLICA_URLS} against a real streaming replica. Reads that go to
 * the replica are told apart by a change made on the primary while the replica's replay is paused:
 * a read from the replica cannot show it, a read from the primary must.
 */
class ReadReplicaTest {

  private static final String REDIS = TestStores.redisUrl(11);
  private static final String PRIMARY_ONLY = "changed on the primary after replay was paused";

  private static StreamingReplica postgres;
  private static ConfigurableApplicationContext app;
  private static UserService users;
  private static Redis redis;
  private static ApiClient api;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void startClustersAndNode() throws Exception {
    Assumptions.assumeTrue(
        StreamingReplica.installed(), "Debian's PostgreSQL 15 binaries are not installed");
    Assumptions.assumeTrue(TestStores.reachable(TestStores.REDIS_PORT), "needs the local Redis");
    TestStores.flushRedis(REDIS);
    postgres = StreamingReplica.start();
    app = startNode();
    users = app.getBean(UserService.class);
    redis = app.getBean(Redis.class);
    api = new ApiClient(((WebServerApplicationContext) app).getWebServer().getPort());
  }

  private static ConfigurableApplicationContext startNode() {
    ConfigurableApplicationContext node =
        new SpringApplicationBuilder(TtsApiApplication.class)
            .run(
                "--server.port=0",
                // The worker role loads the engines, which resolve the voices a submit names; its
                // dispatcher is stopped below, so submitted requests stay queued.
                "--tts.roles=api,worker",
                "--tts.stores.data-dir=target/test-data-replica",
                "--tts.stores.database-url=" + postgres.primaryUrl(),
                "--tts.stores.database-replica-urls=" + postgres.replicaUrl(),
                "--tts.stores.redis-url=" + REDIS,
                // No periodic check in the way: a read itself finds the replica down, and the
                // health report's own check finds it back.
                "--tts.read-routing.replica-check-interval=1h",
                "--tts.read-routing.replica-read-timeout=2s",
                "--tts.ratelimit.requests-per-minute=100000",
                "--tts.ratelimit.poll-requests-per-minute=100000");
    node.getBean("jobDispatcher", SmartLifecycle.class).stop();
    return node;
  }

  @AfterAll
  static void stopAll() {
    if (app != null) {
      app.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @BeforeEach
  void replicaRunningAndReplaying() {
    if (!postgres.replicaRunning()) {
      postgres.startReplica();
    }
    postgres.resumeReplay();
  }

  @Test
  void a_users_reads_go_to_the_replica_once_it_has_replayed_their_writes() {
    String key = newUser(Caller.Role.USER);
    String id = submit(key, "Listed from the replica.");
    postgres.awaitCaughtUp();
    postgres.pauseReplay();
    markOnPrimary(id);

    JsonNode listed = onlyItem(key);
    assertThat(listed.path("request_id").asString()).isEqualTo(id);
    assertThat(listed.path("error").isMissingNode())
        .as("the list came from the replica, which has not replayed the primary's change")
        .isTrue();

    redis.sync().del("tts_status:" + id);
    Response status = api.get("/tts/status/" + id, key);
    assertThat(status.status()).isEqualTo(200);
    assertThat(status.json().path("status").asString()).isEqualTo("queued");
    assertThat(status.json().path("error").isMissingNode())
        .as("the status fallback came from the replica")
        .isTrue();
  }

  @Test
  void a_user_who_just_wrote_sees_it_while_the_replica_lags_behind() {
    String key = newUser(Caller.Role.USER);
    postgres.awaitCaughtUp();
    postgres.pauseReplay();

    String id = submit(key, "Written while the replica is paused.");
    assertThat(postgres.countOnReplica("SELECT count(*) FROM requests WHERE id = '" + id + "'"))
        .as("the replica has not got the request")
        .isZero();
    assertThat(onlyItem(key).path("request_id").asString()).isEqualTo(id);
    redis.sync().del("tts_status:" + id);
    assertThat(statusOf(key, id)).isEqualTo("queued");

    Response cancelled = api.delete("/tts/request/" + id, key);
    assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
    assertThat(cancelled.json().path("status").asString()).isEqualTo("cancelled");
    redis.sync().del("tts_status:" + id);
    assertThat(statusOf(key, id)).isEqualTo("cancelled");
    assertThat(onlyItem(key).path("status").asString()).isEqualTo("cancelled");
  }

  @Test
  void a_write_on_one_api_node_is_read_on_another_while_the_replica_lags_behind() {
    String key = newUser(Caller.Role.USER);
    try (ConfigurableApplicationContext otherNode = startNode()) {
      ApiClient other =
          new ApiClient(((WebServerApplicationContext) otherNode).getWebServer().getPort());
      postgres.awaitCaughtUp();
      postgres.pauseReplay();

      String id = submit(key, "Written on one node, read on the other.");
      redis.sync().del("tts_status:" + id);

      Response list = other.get("/tts/requests", key);
      assertThat(list.status()).as(list.text()).isEqualTo(200);
      assertThat(list.json().path("items")).hasSize(1);
      assertThat(list.json().path("items").get(0).path("request_id").asString()).isEqualTo(id);
      Response status = other.get("/tts/status/" + id, key);
      assertThat(status.status()).as(status.text()).isEqualTo(200);
      assertThat(status.json().path("status").asString()).isEqualTo("queued");
    }
  }

  @Test
  void other_users_keep_reading_the_replica_while_one_writer_is_ahead_of_it() {
    String other = newUser(Caller.Role.USER);
    String othersRequest = submit(other, "Written before the pause.");
    String writer = newUser(Caller.Role.USER);
    postgres.awaitCaughtUp();
    postgres.pauseReplay();

    String written = submit(writer, "Written during the pause.");
    assertThat(onlyItem(writer).path("request_id").asString()).isEqualTo(written);
    markOnPrimary(othersRequest);

    JsonNode listed = onlyItem(other);
    assertThat(listed.path("request_id").asString()).isEqualTo(othersRequest);
    assertThat(listed.path("error").isMissingNode())
        .as("the other user's list still came from the replica")
        .isTrue();
  }

  @Test
  void reads_go_to_the_primary_while_the_replica_is_down_and_back_once_it_returns() {
    String admin = newUser(Caller.Role.ADMIN);
    String key = newUser(Caller.Role.USER);
    String id = submit(key, "Read while the replica is down.");
    postgres.awaitCaughtUp();
    onlyItem(key); // the node now knows the replica has the user's writes, and reads there
    postgres.stopReplica();
    markOnPrimary(id);

    JsonNode listed = onlyItem(key);
    assertThat(listed.path("request_id").asString()).isEqualTo(id);
    assertThat(listed.path("error").asString()).isEqualTo(PRIMARY_ONLY);
    redis.sync().del("tts_status:" + id);
    assertThat(statusOf(key, id)).isEqualTo("queued");

    JsonNode health = api.get("/health/detailed", admin).json();
    assertThat(health.path("stores").path("postgresql_replicas").get(0).path("status").asString())
        .isEqualTo("down");
    assertThat(health.path("warnings").toString()).contains("reads go to the primary");

    postgres.startReplica();
    awaitReplicaUp(admin);
    JsonNode replica =
        api.get("/health/detailed", admin).json().path("stores").path("postgresql_replicas").get(0);
    assertThat(replica.path("lag_bytes").isNumber()).isTrue();
  }

  @Test
  void a_replica_that_hangs_holds_a_read_up_only_until_the_read_timeout() throws Exception {
    String admin = newUser(Caller.Role.ADMIN);
    String key = newUser(Caller.Role.USER);
    String id = submit(key, "Read while the replica hangs.");
    postgres.awaitCaughtUp();
    onlyItem(key); // the node now knows the replica has the user's writes, and reads there
    markOnPrimary(id);
    postgres.freezeReplica();
    try {
      // Without a read timeout this read would wait on the frozen replica for as long as TCP
      // keeps the connection; the bound here only keeps a failing run from hanging the build.
      JsonNode listed =
          CompletableFuture.supplyAsync(() -> onlyItem(key)).get(60, TimeUnit.SECONDS);
      assertThat(listed.path("error").asString()).isEqualTo(PRIMARY_ONLY);
      // Found down by that read, the replica serves nobody until a check finds it back.
      assertThat(onlyItem(key).path("error").asString()).isEqualTo(PRIMARY_ONLY);
    } finally {
      postgres.thawReplica();
    }
    awaitReplicaUp(admin);
  }

  /**
   * The health report checks the replica itself, so it finds it back without the periodic check.
   */
  private static void awaitReplicaUp(String admin) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                "up"
                    .equals(
                        api.get("/health/detailed", admin)
                            .json()
                            .path("stores")
                            .path("postgresql_replicas")
                            .get(0)
                            .path("status")
                            .asString()));
  }

  private static String newUser(Caller.Role role) {
    Caller caller = users.createUser("replica-" + UUID.randomUUID(), role);
    return users.issueKey(caller.userId()).key();
  }

  private static String submit(String key, String text) {
    Response r = api.post("/tts/request", key, Payloads.submit(text, "wav"));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().path("status").asString()).isEqualTo("queued");
    return r.json().path("request_id").asString();
  }

  /** A change to the request made on the primary behind the service's back: it records no write. */
  private static void markOnPrimary(String id) {
    postgres.onPrimary(
        "UPDATE requests SET error = '" + PRIMARY_ONLY + "' WHERE id = '" + id + "'");
  }

  private static JsonNode onlyItem(String key) {
    Response r = api.get("/tts/requests", key);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().path("items")).hasSize(1);
    return r.json().path("items").get(0);
  }

  private static String statusOf(String key, String id) {
    Response r = api.get("/tts/status/" + id, key);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json().path("status").asString();
  }
}
