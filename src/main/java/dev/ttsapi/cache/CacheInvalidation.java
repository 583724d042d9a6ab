package dev.ttsapi.cache;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Tells every node that an entry of an in-process cache is stale, through Redis pub/sub: the node
 * that changes something publishes, every node (itself included) evicts. Messages are {@code
 * <cache>|<key>}. Pub/sub is fire and forget; in-process caches also expire on their own, so a
 * message lost while a node was disconnected only delays the change there.
 */
@Component
public class CacheInvalidation implements DisposableBean {

  static final String CHANNEL = "tts_cache_invalidation";
  private static final Logger log = LoggerFactory.getLogger(CacheInvalidation.class);

  private final StatefulRedisConnection<String, String> redis;
  private final StatefulRedisPubSubConnection<String, String> subscription;
  private final Map<String, Consumer<String>> evictors = new ConcurrentHashMap<>();

  CacheInvalidation(RedisClient client, StatefulRedisConnection<String, String> redis) {
    this.redis = redis;
    this.subscription = client.connectPubSub();
    subscription.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, String message) {
            int bar = message.indexOf('|');
            if (bar > 0) {
              Consumer<String> evict = evictors.get(message.substring(0, bar));
              if (evict != null) {
                evict.accept(message.substring(bar + 1));
              }
            }
          }
        });
    subscription.sync().subscribe(CHANNEL);
  }

  /** Registers how to evict one key of the named cache on this node. */
  public void register(String cache, Consumer<String> evict) {
    evictors.put(cache, evict);
  }

  /** Evicts the key here at once and on every other node within moments. */
  public void invalidate(String cache, String key) {
    Consumer<String> evict = evictors.get(cache);
    if (evict != null) {
      evict.accept(key);
    }
    try {
      redis.sync().publish(CHANNEL, cache + "|" + key);
    } catch (RuntimeException e) {
      log.warn("Could not tell other nodes to evict {} from {}: {}", key, cache, e.toString());
    }
  }

  @Override
  public void destroy() {
    subscription.close();
  }
}
