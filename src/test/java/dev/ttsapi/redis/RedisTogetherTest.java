package dev.ttsapi.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.support.SharedRedisCluster;
import dev.ttsapi.support.TestStores;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@link Redis#together}: what a scope sends is written to Redis when it first waits, all at once,
 * and never left unsent. Seen from a second connection, which reads what Redis has run.
 */
class RedisTogetherTest {

  private static final Duration HELD_FOR = Duration.ofMillis(300);

  @Test
  void commands_of_a_scope_reach_redis_at_its_first_wait_and_the_rest_when_it_ends()
      throws Exception {
    TestStores.assumeLocalStores();
    String url = TestStores.redisUrl();
    String first = "together-test:" + UUID.randomUUID();
    String unawaited = first + ":unawaited";
    try (Redis redis = Redis.connect(url, Duration.ofSeconds(5));
        Redis observer = Redis.connect(url, Duration.ofSeconds(5))) {
      String read =
          redis.together(
              () -> {
                redis.async().set(first, "1");
                sleep(HELD_FOR);
                assertThat(observer.sync().get(first)).as("held until the scope waits").isNull();
                String answer = Redis.await(redis.async().get(first));
                // sent after the wait, never waited for: it leaves when the scope ends
                redis.async().set(unawaited, "2");
                sleep(HELD_FOR);
                assertThat(observer.sync().get(unawaited)).as("held again after the wait").isNull();
                return answer;
              });
      assertThat(read).as("commands of a scope run in the order they were sent").isEqualTo("1");
      await().atMost(Duration.ofSeconds(5)).until(() -> "2".equals(observer.sync().get(unawaited)));

      // outside a scope, a command is written at once: the observer sees it without a wait
      String outside = first + ":outside";
      redis.async().set(outside, "3");
      await().atMost(Duration.ofSeconds(5)).until(() -> "3".equals(observer.sync().get(outside)));
    } finally {
      try (Redis cleanup = Redis.connect(url, Duration.ofSeconds(5))) {
        cleanup.sync().del(first, unawaited, first + ":outside");
      }
    }
  }

  @Test
  void a_script_redis_has_forgotten_runs_inside_a_scope() {
    TestStores.assumeLocalStores();
    try (Redis redis = Redis.connect(TestStores.redisUrl(), Duration.ofSeconds(5))) {
      String key = "{together-test:" + UUID.randomUUID() + "}:poll";
      redis.sync().scriptFlush();
      // NOSCRIPT comes back on Lettuce's thread, which sends the script in full on the shared
      // connection: the answer still arrives, and the caller does not wait out a timeout
      List<Long> answer =
          redis.together(
              () ->
                  Redis.await(
                      redis.evalAsync(RedisScript.GCRA, List.of(key), List.of("60000", "5"))));
      assertThat(answer.getFirst()).as("allowed").isEqualTo(1L);
      redis.sync().del(key);
    }
  }

  @Test
  void on_a_cluster_nothing_is_held() {
    try (Redis redis = Redis.connect(SharedRedisCluster.get().url(), Duration.ofSeconds(5))) {
      String key = "together-test:" + UUID.randomUUID();
      redis.together(
          () -> {
            redis.async().set(key, "1");
            await().atMost(Duration.ofSeconds(5)).until(() -> "1".equals(redis.sync().get(key)));
            return null;
          });
      redis.sync().del(key);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
