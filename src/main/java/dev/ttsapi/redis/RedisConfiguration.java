package dev.ttsapi.redis;

import dev.ttsapi.stores.RedisEndpoint;
import dev.ttsapi.stores.StoresProperties;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes the {@link Redis} seam from {@code REDIS_URL} (or the embedded server's address). Commands
 * fail fast instead of waiting: rejected at once while disconnected, timed out after {@code
 * tts.stores.redis-command-timeout}. A request then falls back to PostgreSQL (the sweeper queues it
 * later) and a worker backs off, rather than hanging on a dead Redis.
 */
@Configuration(proxyBeanMethods = false)
class RedisConfiguration {

  private static final Logger log = LoggerFactory.getLogger(RedisConfiguration.class);

  @Bean(destroyMethod = "close")
  Redis redis(RedisEndpoint endpoint, StoresProperties stores, ClientResources resources) {
    Redis redis = standalone(endpoint.url(), stores.redisCommandTimeout(), resources);
    redis.loadScripts();
    return redis;
  }

  /** With {@code resources} null, the client makes (and shuts down) resources of its own. */
  static Redis standalone(String url, Duration commandTimeout, ClientResources resources) {
    RedisURI uri = RedisURI.create(url);
    log.info("Redis: {}:{} db {}", uri.getHost(), uri.getPort(), uri.getDatabase());
    RedisClient client =
        resources == null ? RedisClient.create(uri) : RedisClient.create(resources, uri);
    client.setOptions(
        ClientOptions.builder()
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            // each connection's own timeout: the shared one's is short, a blocking reader's long
            .timeoutOptions(TimeoutOptions.enabled())
            .build());
    return new Redis(new Standalone(client, uri), commandTimeout);
  }

  /** One server (or the master Sentinel names): Lettuce's {@link RedisClient}. */
  private record Standalone(RedisClient client, RedisURI uri) implements Redis.Connector {

    @Override
    public StatefulConnection<String, String> connect(Duration commandTimeout) {
      StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8);
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
      return client.connectPubSub(StringCodec.UTF8);
    }

    @Override
    public String namespace() {
      return Integer.toString(uri.getDatabase());
    }

    @Override
    public void shutdown() {
      client.shutdown();
    }
  }
}
