package dev.ttsapi.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.OtherNode;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * API keys and user limits are read through this node's memory, then Redis, then PostgreSQL; a
 * change made through the API on one node applies on the others within a second.
 */
class MultiLevelCacheTest extends IntegrationTest {

  private static ConfigurableApplicationContext otherNode;

  @Autowired private MultiLevelCaches caches;

  /** A second API node on the same PostgreSQL and Redis, started once for the class. */
  private static ApiClient other() {
    if (otherNode == null) {
      otherNode = OtherNode.startApiNode();
    }
    return OtherNode.client(otherNode);
  }

  @AfterAll
  static void stopOtherNode() {
    if (otherNode != null) {
      otherNode.close();
    }
  }

  /** The node {@code on} answers {@code expected} for the user's limit within a second. */
  private static void awaitRequestsPerMinuteWithinASecond(
      ApiClient on, TestUser user, TestUser admin, int expected) {
    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                on.get(limits(user), admin.key()).json().path("requests_per_minute").asInt()
                    == expected);
  }

  private static String limits(TestUser user) {
    return "/admin/users/" + user.caller().userId() + "/limits";
  }

  @Test
  void limits_changed_on_one_node_apply_on_another_within_a_second() {
    TestUser admin = newUser("limits-admin", Caller.Role.ADMIN);
    TestUser user = newUser("limited-user", Caller.Role.USER);
    ApiClient other = other();
    // The other node has read (and now keeps) the defaults: this user has no limits of their own.
    assertThat(other.get(limits(user), admin.key()).json().path("custom").asBoolean()).isFalse();

    var put = api.put(limits(user), admin.key(), "{\"requests_per_minute\": 7}");
    assertThat(put.status()).isEqualTo(200);

    awaitRequestsPerMinuteWithinASecond(other, user, admin, 7);
    assertThat(other.get(limits(user), admin.key()).json().path("custom").asBoolean()).isTrue();
  }

  @Test
  void limits_read_once_are_not_read_from_the_database_again_until_changed() {
    TestUser admin = newUser("limits-admin-2", Caller.Role.ADMIN);
    TestUser user = newUser("limited-user-2", Caller.Role.USER);
    ApiClient other = other();
    api.put(limits(user), admin.key(), "{\"requests_per_minute\": 7}");
    assertThat(other.get(limits(user), admin.key()).json().path("requests_per_minute").asInt())
        .isEqualTo(7);

    // Changed behind the service's back: neither node asks PostgreSQL, so neither sees it.
    jdbc.sql("UPDATE user_limits SET requests_per_minute = 11 WHERE user_id = ?")
        .param(user.caller().userId())
        .update();
    assertThat(api.get(limits(user), admin.key()).json().path("requests_per_minute").asInt())
        .isEqualTo(7);
    assertThat(other.get(limits(user), admin.key()).json().path("requests_per_minute").asInt())
        .isEqualTo(7);

    // A change through the API reaches both.
    api.put(limits(user), admin.key(), "{\"requests_per_minute\": 13}");
    assertThat(api.get(limits(user), admin.key()).json().path("requests_per_minute").asInt())
        .isEqualTo(13);
    awaitRequestsPerMinuteWithinASecond(other, user, admin, 13);
  }

  @Test
  void a_node_that_never_saw_a_key_finds_it_in_redis_not_the_database() {
    TestUser user = newUser("redis-level-user", Caller.Role.USER);
    assertThat(api.get("/tts/voices", user.key()).status()).isEqualTo(200);

    // The key's row goes, behind the service's back; the copy in Redis stays.
    jdbc.sql("DELETE FROM api_keys WHERE user_id = ?").param(user.caller().userId()).update();

    assertThat(other().get("/tts/voices", user.key()).status())
        .as("the other node never read this key: only Redis can know it")
        .isEqualTo(200);
  }

  @Test
  void a_read_that_races_a_change_does_not_put_the_old_value_back() throws Exception {
    AtomicReference<String> row = new AtomicReference<>("old");
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch changed = new CountDownLatch(1);
    MultiLevelCache<String> cache =
        caches.create(
            "race-" + UUID.randomUUID(),
            String.class,
            MultiLevelCaches.Absent.NOT_REMEMBERED,
            key -> {
              String value = row.get();
              if (loads.incrementAndGet() == 1) {
                reading.countDown();
                awaitQuietly(
                    changed); // the change commits and is announced while this read is slow
              }
              return Optional.of(value);
            });

    // Threads of their own: the common pool has a single thread on a two-core machine.
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    CompletableFuture<Optional<String>> slowRead =
        CompletableFuture.supplyAsync(() -> cache.get("k"), threads);
    assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
    row.set("new");
    CompletableFuture<Void> invalidated =
        CompletableFuture.runAsync(() -> cache.invalidate("k"), threads);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> MultiLevelCache.TOMBSTONE.equals(redis.sync().get(cache.redisKey("k"))));
    changed.countDown();
    assertThat(slowRead.get(10, TimeUnit.SECONDS)).contains("old"); // it began before the change
    invalidated.get(10, TimeUnit.SECONDS);

    assertThat(redis.sync().get(cache.redisKey("k")))
        .as("the old value is not shared with other nodes")
        .isNotEqualTo("\"old\"");
    assertThat(cache.get("k")).contains("new");
    threads.close();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
