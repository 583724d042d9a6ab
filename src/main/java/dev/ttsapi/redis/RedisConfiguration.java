package dev.ttsapi.redis;

import dev.ttsapi.stores.RedisEndpoint;
import dev.ttsapi.stores.StoresProperties;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.masterreplica.MasterReplica;
import io.lettuce.core.masterreplica.StatefulRedisMasterReplicaConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes the {@link Redis} seam from {@code REDIS_URL} (or the embedded server's address): one
 * server, the master a set of Sentinels names, or a Redis Cluster ({@link RedisUrl} has the forms).
 * Commands fail fast instead of waiting: rejected at once while disconnected, timed out after
 * {@code tts.stores.redis-command-timeout}. A request then falls back to PostgreSQL (the sweeper
 * queues it later) and a worker backs off, rather than hanging on a dead Redis.
 *
 * <p>A Redis that is not what the URL says is a failed start, never a service that runs with its
 * limits silently off: a {@code redis://} URL that reaches a Cluster node (every key of another
 * node's slots would answer MOVED), or a {@code redis-cluster://} URL whose nodes are no Cluster.
 */
@Configuration(proxyBeanMethods = false)
class RedisConfiguration {

  private static final Logger log = LoggerFactory.getLogger(RedisConfiguration.class);

  /** How often a Cluster's slot map is read again even when nothing hinted at a change. */
  private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(10);

  @Bean(destroyMethod = "close")
  Redis redis(RedisEndpoint endpoint, StoresProperties stores, ClientResources resources) {
    Redis redis = connect(RedisUrl.parse(endpoint.url()), stores.redisCommandTimeout(), resources);
    try {
      redis.checkTopology();
    } catch (RuntimeException e) {
      redis.close();
      throw e;
    }
    redis.loadScripts();
    return redis;
  }

  /** With {@code resources} null, the client makes (and shuts down) resources of its own. */
  static Redis connect(RedisUrl url, Duration commandTimeout, ClientResources resources) {
    log.info("Redis: {}", url.text());
    return switch (url.kind()) {
      case STANDALONE, SENTINEL -> standalone(url, commandTimeout, resources);
      case CLUSTER -> cluster(url, commandTimeout, resources);
    };
  }

  private static Redis standalone(RedisUrl url, Duration commandTimeout, ClientResources res) {
    RedisURI uri = url.first();
    RedisClient client = res == null ? RedisClient.create(uri) : RedisClient.create(res, uri);
    client.setOptions(
        ClientOptions.builder()
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            // each connection's own timeout: the shared one's is short, a blocking reader's long
            .timeoutOptions(TimeoutOptions.enabled())
            .build());
    return new Redis(new Standalone(client, url), commandTimeout);
  }

  private static Redis cluster(RedisUrl url, Duration commandTimeout, ClientResources res) {
    RedisClusterClient client =
        res == null
            ? RedisClusterClient.create(url.nodes())
            : RedisClusterClient.create(res, url.nodes());
    client.setOptions(
        ClusterClientOptions.builder()
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled())
            // A failover moves slots to a replica: MOVED answers, reconnects that keep failing and
            // the periodic read all make the client read the slot map again.
            .topologyRefreshOptions(
                ClusterTopologyRefreshOptions.builder()
                    .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                    .enableAllAdaptiveRefreshTriggers()
                    .build())
            .build());
    try {
      return new Redis(new Cluster(client, url), commandTimeout);
    } catch (RuntimeException e) {
      client.shutdown();
      throw new IllegalStateException(
          "REDIS_URL "
              + url.text()
              + " names a Redis Cluster, but no node named answered as one ("
              + rootMessage(e)
              + "). Check the hosts and ports; for a single Redis server use redis://host:port",
          e);
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  /** One server, or the master Sentinels name: Lettuce's {@link RedisClient}. */
  private record Standalone(RedisClient client, RedisUrl url) implements Redis.Connector {

    @Override
    public StatefulConnection<String, String> connect(Duration commandTimeout) {
      StatefulRedisConnection<String, String> connection;
      if (url.kind() == RedisUrl.Kind.SENTINEL) {
        // Follows the Sentinels: after a failover, commands go to the new master.
        StatefulRedisMasterReplicaConnection<String, String> followed =
            MasterReplica.connect(client, StringCodec.UTF8, url.first());
        followed.setReadFrom(ReadFrom.UPSTREAM);
        connection = followed;
      } else {
        connection = client.connect(StringCodec.UTF8);
      }
      connection.setTimeout(commandTimeout);
      return connection;
    }

    @Override
    @SuppressWarnings("unchecked")
    public RedisClusterCommands<String, String> sync(
        StatefulConnection<String, String> connection) {
      return ((StatefulRedisConnection<String, String>) connection).sync();
    }

    @Override
    @SuppressWarnings("unchecked")
    public RedisClusterAsyncCommands<String, String> async(
        StatefulConnection<String, String> connection) {
      return ((StatefulRedisConnection<String, String>) connection).async();
    }

    @Override
    public StatefulRedisPubSubConnection<String, String> connectPubSub() {
      // With Sentinels, each (re)connect asks them where the master is now.
      return client.connectPubSub(StringCodec.UTF8, url.first());
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Supplier<RedisClusterCommands<String, String>>> masters(
        StatefulConnection<String, String> shared) {
      RedisURI uri = url.first();
      String name =
          url.kind() == RedisUrl.Kind.SENTINEL
              ? "master " + uri.getSentinelMasterId()
              : uri.getHost() + ":" + uri.getPort();
      RedisClusterCommands<String, String> commands =
          ((StatefulRedisConnection<String, String>) shared).sync();
      return Map.of(name, () -> commands);
    }

    @Override
    public boolean cluster() {
      return false;
    }

    @Override
    public String describe() {
      return url.text();
    }

    @Override
    public String namespace() {
      return Integer.toString(url.first().getDatabase());
    }

    @Override
    public void shutdown() {
      client.shutdown();
    }
  }

  /**
   * A Redis Cluster: Lettuce's {@link RedisClusterClient}, routing each key to its slot's master.
   */
  private static final class Cluster implements Redis.Connector {
    private final RedisClusterClient client;
    private final RedisUrl url;

    Cluster(RedisClusterClient client, RedisUrl url) {
      this.client = client;
      this.url = url;
    }

    @Override
    public StatefulConnection<String, String> connect(Duration commandTimeout) {
      StatefulRedisClusterConnection<String, String> connection = client.connect(StringCodec.UTF8);
      connection.setTimeout(commandTimeout);
      return connection;
    }

    @Override
    @SuppressWarnings("unchecked")
    public RedisClusterCommands<String, String> sync(
        StatefulConnection<String, String> connection) {
      return ((StatefulRedisClusterConnection<String, String>) connection).sync();
    }

    @Override
    @SuppressWarnings("unchecked")
    public RedisClusterAsyncCommands<String, String> async(
        StatefulConnection<String, String> connection) {
      return ((StatefulRedisClusterConnection<String, String>) connection).async();
    }

    /**
     * Ordinary (not sharded) pub/sub: Redis Cluster passes every PUBLISH to every node, so one
     * subscription on any node hears the whole cluster; after a reconnect Lettuce subscribes again,
     * on whichever node answers.
     */
    @Override
    public StatefulRedisPubSubConnection<String, String> connectPubSub() {
      return client.connectPubSub(StringCodec.UTF8);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Supplier<RedisClusterCommands<String, String>>> masters(
        StatefulConnection<String, String> shared) {
      var cluster = (StatefulRedisClusterConnection<String, String>) shared;
      Map<String, Supplier<RedisClusterCommands<String, String>>> masters = new LinkedHashMap<>();
      for (RedisClusterNode node : cluster.getPartitions()) {
        if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()) {
          String nodeId = node.getNodeId();
          boolean failed = node.is(RedisClusterNode.NodeFlag.FAIL);
          masters.put(
              node.getUri().getHost() + ":" + node.getUri().getPort(),
              () -> {
                if (failed) {
                  throw new IllegalStateException("the cluster marks this master as failed");
                }
                return cluster.getConnection(nodeId).sync();
              });
        }
      }
      return masters;
    }

    @Override
    public boolean cluster() {
      return true;
    }

    @Override
    public String describe() {
      return url.text();
    }

    @Override
    public String namespace() {
      return "0";
    }

    @Override
    public void shutdown() {
      client.shutdown();
    }
  }
}
