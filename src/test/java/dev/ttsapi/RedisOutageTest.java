package dev.ttsapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.console.EventStreamClient;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.StoppableRedis;
import dev.ttsapi.support.TestStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The shared Redis killed (kill -9) and started again, empty, at the same address, under one node
 * of the service: what a client of that node sees meanwhile and right after.
 */
class RedisOutageTest {

  private static StoppableRedis redis;
  private static ConfigurableApplicationContext node;
  private static ApiClient api;
  private static String key;

  @BeforeAll
  static void start() {
    TestStores.assumeLocalStores();
    String database = TestStores.DATABASE + "_redis_outage";
    TestStores.recreateDatabase(database);
    redis = StoppableRedis.start();
    List<String> args =
        List.of(
            "--server.port=0",
            "--tts.stores.data-dir=target/test-data-redis-outage",
            "--tts.stores.database-url=postgresql://postgres@127.0.0.1:5432/" + database,
            "--tts.stores.redis-url=" + redis.url(),
            "--tts.stores.redis-command-timeout=1s",
            "--tts.queue.block-timeout=500ms",
            "--tts.observability.store-check-interval=200ms",
            // What Redis lost is queued again soon after it returns.
            "--tts.maintenance.sweep-interval=1s",
            "--tts.maintenance.sweep-age=3s",
            "--tts.ratelimit.requests-per-minute=100000",
            "--tts.ratelimit.poll-requests-per-minute=100000");
    node = new SpringApplicationBuilder(TtsApiApplication.class).run(args.toArray(String[]::new));
    UserService users = node.getBean(UserService.class);
    Caller user = users.createUser("outage-" + System.nanoTime(), Caller.Role.USER);
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

  @BeforeEach
  @AfterEach
  void redisRuns() {
    if (redis != null) {
      redis.ensureRunning();
    }
  }

  @Test
  void submits_with_an_idempotency_key_are_never_answered_500_while_redis_is_down_or_returning() {
    Response before = submit("before-" + UUID.randomUUID(), "Said before the outage.");
    assertThat(before.status()).as(before.text()).isEqualTo(200);

    redis.kill();
    List<Response> answers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      answers.add(submit("down-" + UUID.randomUUID(), "Said while Redis is down " + i + "."));
    }
    redis.startAgain();
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    int i = 0;
    while (System.nanoTime() < until) {
      answers.add(submit("back-" + UUID.randomUUID(), "Said as Redis returns " + i++ + "."));
    }

    for (Response answer : answers) {
      assertThat(answer.status()).as(answer.text()).isIn(200, 503);
      if (answer.status() == 503) {
        assertThat(answer.header("Retry-After")).isNotNull();
      }
    }
    // Once Redis answers again, a key works as before: one request, the first answer replayed.
    String again = "after-" + UUID.randomUUID();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> submit(again, "Said after the outage.").status() == 200);
    Response replay = submit(again, "Said after the outage.");
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
  }

  @Test
  void the_node_stays_ready_and_serves_from_postgresql_while_the_shared_redis_is_down() {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> api.get("/health/ready", null).status() == 200);
    Response accepted = api.post("/tts/request", key, Payloads.submit("Before the outage.", "wav"));
    String id = accepted.json().path("request_id").asString();

    redis.kill();
    awaitRedisCheck("down", Duration.ofSeconds(10));
    Response ready = api.get("/health/ready", null);
    assertThat(ready.status()).as(ready.text()).isEqualTo(200);
    assertThat(ready.json().path("degraded").toString()).contains("redis");
    // What it stays ready for: submits are accepted into PostgreSQL, status is answered from it.
    Response submitted =
        api.post("/tts/request", key, Payloads.submit("During the outage.", "wav"));
    assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);
    assertThat(api.get("/tts/status/" + id, key).status()).isEqualTo(200);
    assertThat(
            api.get("/tts/status/" + submitted.json().path("request_id").asString(), key).status())
        .isEqualTo(200);

    redis.startAgain();
    awaitRedisCheck("up", Duration.ofSeconds(20));
  }

  @Test
  void event_streams_resume_after_an_outage_and_get_what_they_missed() throws Exception {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> api.get("/health/ready", null).status() == 200);
    try (EventStreamClient events = new EventStreamClient(api.base(), key)) {
      assertThat(events.status()).isEqualTo(200);
      events.awaitReady();

      redis.kill();
      awaitRedisCheck("down", Duration.ofSeconds(10));
      // Accepted into PostgreSQL and cancelled there while Redis is down: both events go nowhere,
      // and nothing will ever happen to the request again to send another.
      Response during = api.post("/tts/request", key, Payloads.submit("Said in the dark.", "wav"));
      assertThat(during.status()).as(during.text()).isEqualTo(200);
      String missed = during.json().path("request_id").asString();
      Response cancelled = api.delete("/tts/request/" + missed, key);
      assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
      // The node notices a lost subscription by its probe, once per tts.console.heartbeat (1 s):
      // an outage shorter than one probe can pass unnoticed (see the note in StatusEvents), so
      // this one lasts a few probes, as any outage worth the name does.
      Thread.sleep(3_000);
      redis.startAgain();

      assertThat(statusReaching(events, missed, "cancelled", Duration.ofSeconds(60)))
          .as("the open stream learns what happened while Redis was down")
          .isTrue();

      // And live events flow again: the subscription is back.
      String after =
          api.post("/tts/request", key, Payloads.submit("Said after the dark.", "wav"))
              .json()
              .path("request_id")
              .asString();
      assertThat(statusReaching(events, after, "completed", Duration.ofSeconds(60)))
          .as("a request submitted after the outage is followed to the end")
          .isTrue();
    }
  }

  /** Whether the stream sends {@code status} for request {@code id} within {@code within}. */
  private static boolean statusReaching(
      EventStreamClient events, String id, String status, Duration within)
      throws InterruptedException {
    long until = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < until) {
      EventStreamClient.Event event = events.next(Duration.ofSeconds(1));
      if (event != null
          && event.name().equals("status")
          && event.json().path("request_id").asString().equals(id)
          && event.json().path("status").asString().equals(status)) {
        return true;
      }
    }
    return false;
  }

  private static Response submit(String idempotencyKey, String text) {
    return api.postWithHeaders(
        "/tts/request", key, Payloads.submit(text, "wav"), "Idempotency-Key", idempotencyKey);
  }

  /** Waits until readiness reports Redis {@code state} ("up" or "down"). */
  private void awaitRedisCheck(String state, Duration atMost) {
    await()
        .atMost(atMost)
        .until(
            () ->
                state.equals(
                    api.get("/health/ready", null).json().path("checks").path("redis").asString()));
  }
}
