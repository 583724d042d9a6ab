package dev.ttsapi.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.cache.CacheInvalidation;
import dev.ttsapi.console.EventStreamClient;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.queue.QueuePartitions;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.MarkerEngine;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.RedisClusterServers;
import dev.ttsapi.support.SharedRedisCluster;
import dev.ttsapi.support.TestStores;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The whole request path against a real Redis Cluster of 3 masters and 3 replicas, with the queue
 * in 3 partitions: submit, synthesis by the worker, status, download, cache hit, rate limit, quota,
 * status events and cache invalidation (pub/sub), health of every master. No command may fail on
 * MOVED or CROSSSLOT; a limit that failed open would show in tts_limits_failed_open_total.
 */
// Streamed speech goes through the live queue and a blocking XREAD, as on an API-only node.
@TestPropertySource(
    properties = {"tts.queue.partitions=3", "tts.openai-api.synthesize-locally=false"})
class RedisClusterRequestPathTest extends IntegrationTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  /** This class's context talks to its own Redis (read when the context starts, after this). */
  @BeforeAll
  static void useItsRedis() {
    System.setProperty(TestStores.REDIS_URL_PROPERTY, SharedRedisCluster.get().url());
  }

  @AfterAll
  static void leaveItsRedis() {
    System.clearProperty(TestStores.REDIS_URL_PROPERTY);
  }

  @Autowired private QueuePartitions partitions;
  @Autowired private CacheInvalidation invalidation;

  private TestUser admin;

  @BeforeEach
  void admin() {
    assertThat(redis.cluster()).as("the application talks to the cluster").isTrue();
    admin = newUser("cluster-admin", Caller.Role.ADMIN);
  }

  @Test
  void requests_of_users_on_every_partition_complete_download_and_hit_the_cache() {
    RedisClusterServers cluster = SharedRedisCluster.get();
    List<TestUser> users = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    Set<Integer> partitionsUsed = new HashSet<>();
    Set<Integer> mastersUsed = new HashSet<>();
    // user ids are random: users are made until every partition has some
    for (int i = 0; users.size() < 6 || partitionsUsed.size() < 3; i++) {
      TestUser user = newUser("cluster-user-" + i, Caller.Role.USER);
      var partition = partitions.of(user.caller().userId());
      partitionsUsed.add(partition.index());
      mastersUsed.add(cluster.masterOf(partition.stream(Priority.NORMAL)));
      users.add(user);
      Response submitted =
          api.post("/tts/request", user.key(), Payloads.submit("Cluster words " + i + ".", "wav"));
      assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);
      ids.add(submitted.json().path("request_id").asString());
    }
    assertThat(partitionsUsed).hasSize(3);
    assertThat(mastersUsed).as("the partitions sit on every master").hasSize(3);

    for (int i = 0; i < ids.size(); i++) {
      TestUser user = users.get(i);
      JsonNode status = awaitStatus(user.key(), ids.get(i), "completed");
      assertThat(status.path("progress").asDouble()).isEqualTo(1.0);
      Response audio = api.get("/tts/audio/" + ids.get(i), user.key());
      assertThat(audio.status()).isEqualTo(200);
      assertThat(new String(audio.body(), 0, 4)).isEqualTo("RIFF");
    }
    Response again =
        api.post(
            "/tts/request", users.getFirst().key(), Payloads.submit("Cluster words 0.", "wav"));
    assertThat(again.json().path("cache_hit").asBoolean()).as("the repeat is a cache hit").isTrue();
    assertThat(failedOpen()).as("no limit failed open").isZero();
  }

  @Test
  void streamed_speech_goes_through_the_live_queue_and_a_blocking_read_on_the_cluster() {
    TestUser user = newUser("cluster-speech", Caller.Role.USER);
    Response speech =
        api.post(
            "/v1/audio/speech",
            user.key(),
            ApiClient.json(
                java.util.Map.of(
                    "model", "tts-1",
                    "input", "Streamed 3 times. Over 5 masters and replicas.",
                    "voice", MarkerEngine.VOICE,
                    "response_format", "wav")));

    assertThat(speech.status()).as(speech.text()).isEqualTo(200);
    assertThat(new String(speech.body(), 0, 4)).isEqualTo("RIFF");
    assertThat(speech.body().length).isGreaterThan(44 + 2 * 30);
  }

  @Test
  void rate_limit_and_quota_are_enforced_on_the_cluster() {
    TestUser user = newUser("cluster-limited", Caller.Role.USER);
    worker().stop();
    // a refused submit still spends its call of the per-minute budget: 3 calls, 2 accepted
    setLimits(user, "{\"requests_per_minute\":3,\"characters_per_day\":30}");

    assertThat(submit(user, "a".repeat(20)).status()).isEqualTo(200);
    Response overQuota = submit(user, "b".repeat(20));
    assertThat(overQuota.status()).isEqualTo(429);
    assertThat(overQuota.json().path("type").asString()).endsWith("quota-exceeded");
    assertThat(submit(user, "c").status()).isEqualTo(200);
    Response overRate = submit(user, "d");
    assertThat(overRate.status()).isEqualTo(429);
    assertThat(overRate.json().path("type").asString()).endsWith("rate-limited");
    assertThat(failedOpen()).as("no limit failed open").isZero();
  }

  @Test
  void status_events_reach_the_event_stream() throws Exception {
    TestUser user = newUser("cluster-events", Caller.Role.USER);
    try (EventStreamClient events = new EventStreamClient(api.base(), user.key())) {
      events.awaitReady();
      String id = submit(user, "Events over a cluster.").json().path("request_id").asString();
      List<String> statuses = new ArrayList<>();
      EventStreamClient.Event event;
      do {
        event = events.next(WAIT);
        assertThat(event).as("an event before completed (got %s)", statuses).isNotNull();
        assertThat(event.json().path("request_id").asString()).isEqualTo(id);
        statuses.add(event.json().path("status").asString());
      } while (!"completed".equals(statuses.getLast()));
      assertThat(statuses).startsWith("queued").contains("processing");
    }
  }

  @Test
  void a_cache_invalidation_reaches_a_subscriber_on_another_node() throws Exception {
    LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
    StatefulRedisPubSubConnection<String, String> other = redis.pubSub();
    try {
      other.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
              heard.add(message);
            }
          });
      other.sync().subscribe("tts_cache_invalidation:" + redis.namespace());

      invalidation.invalidate("api-keys", "some-key");

      String message = heard.poll(10, TimeUnit.SECONDS);
      assertThat(message)
          .as("the eviction went out over the cluster")
          .endsWith("|api-keys|some-key");
    } finally {
      other.close();
    }
  }

  @Test
  void detailed_health_reads_every_master() {
    JsonNode stores = api.get("/health/detailed", admin.key()).json().path("stores");

    assertThat(stores.path("redis").path("status").asString()).isEqualTo("up");
    assertThat(stores.path("redis_mode").asString()).isEqualTo("cluster");
    JsonNode masters = stores.path("redis_masters");
    assertThat(masters).hasSize(3);
    Set<String> addresses = new HashSet<>();
    for (JsonNode master : masters) {
      assertThat(master.path("status").asString()).isEqualTo("up");
      assertThat(master.path("used_memory_bytes").asLong()).isPositive();
      addresses.add(master.path("address").asString());
    }
    assertThat(addresses).hasSize(3);
    assertThat(redis.masters()).allSatisfy(m -> assertThat(m.up()).isTrue());
  }

  private Response submit(TestUser user, String text) {
    return api.post("/tts/request", user.key(), Payloads.submit(text, "wav"));
  }

  private void setLimits(TestUser user, String body) {
    Response put = api.put("/admin/users/" + user.caller().userId() + "/limits", admin.key(), body);
    assertThat(put.status()).as(put.text()).isEqualTo(200);
  }

  /** Calls let through unchecked since the start, summed over the limits. */
  private double failedOpen() {
    double sum = 0;
    for (String line : api.get("/metrics", null).text().split("\n")) {
      if (line.startsWith("tts_limits_failed_open_total{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }
}
