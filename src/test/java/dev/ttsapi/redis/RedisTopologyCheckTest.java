package dev.ttsapi.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttsapi.stores.RedisEndpoint;
import dev.ttsapi.stores.StoresProperties;
import dev.ttsapi.support.RedisClusterServers;
import dev.ttsapi.support.SharedRedisCluster;
import dev.ttsapi.support.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Redis that is not what REDIS_URL says stops the start with a message saying what to change,
 * instead of a service whose rate limits, quotas and status writes fail on MOVED and are skipped.
 * What is checked is the bean that makes the {@link Redis} seam: its exception is the start's.
 */
class RedisTopologyCheckTest {

  private static final StoresProperties STORES =
      new StoresProperties(
          Path.of("target/test-data"), null, List.of(), null, Duration.ofSeconds(2), false);

  @Test
  void a_url_for_one_server_that_reaches_a_cluster_node_fails_the_start() {
    RedisClusterServers cluster = SharedRedisCluster.get();
    String oneNode = "redis://127.0.0.1:" + cluster.ports().getFirst();

    assertThatThrownBy(() -> start(oneNode))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("node of a Redis Cluster")
        .hasMessageContaining("redis-cluster://");
  }

  @Test
  void a_cluster_url_that_reaches_a_plain_server_fails_the_start() {
    TestStores.assumeLocalStores();
    String plain = "redis-cluster://127.0.0.1:" + TestStores.REDIS_PORT;

    assertThatThrownBy(() -> start(plain))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no node named answered as one")
        .hasMessageContaining("for a single Redis server use redis://");
  }

  @Test
  void a_cluster_url_that_reaches_nothing_fails_the_start() {
    String nowhere = "redis-cluster://127.0.0.1:" + TestStores.freePort();

    assertThatThrownBy(() -> start(nowhere))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("names a Redis Cluster, but no node named answered as one");
  }

  @Test
  void the_cluster_url_starts_and_a_script_with_keys_of_two_slots_is_refused_before_it_is_sent() {
    Redis redis = start(SharedRedisCluster.get().url());
    try {
      assertThat(redis.cluster()).isTrue();
      assertThat(redis.masters()).hasSize(3);
      assertThatThrownBy(
              () ->
                  redis.eval(
                      RedisScript.GCRA,
                      List.of("{rl:a}:submit", "{rl:b}:submit"),
                      List.of("1", "1")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("several hash slots");
    } finally {
      redis.close();
    }
  }

  private static Redis start(String url) {
    return new RedisConfiguration().redis(new RedisEndpoint(url), STORES, null);
  }
}
