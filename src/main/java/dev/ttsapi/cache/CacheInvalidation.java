package dev.ttsapi.cache;

import dev.ttsapi.redis.Redis;
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
 * that changes something publishes, it evicts at once and every other node on the message. One
 * channel for every cache, {@code tts_cache_invalidation:<redis db>} (pub/sub ignores the db, so
 * the db number keeps deployments sharing one Redis server apart); messages are {@code
 * <node>|<cache>|<key>}. Pub/sub is fire and forget; in-process caches also expire on their own, so
 * a message lost while a node was disconnected only delays the change there.
 */
@Component
public class CacheInvalidation implements DisposableBean {

  static final String CHANNEL_PREFIX = "tts_cache_invalidation:";
  private static final Logger log = LoggerFactory.getLogger(CacheInvalidation.class);

  private final Redis redis;
  private final String channel;
  private final StatefulRedisPubSubConnection<String, String> subscription;
  private final Map<String, Consumer<String>> evictors = new ConcurrentHashMap<>();
  private final String node = java.util.UUID.randomUUID().toString();

  CacheInvalidation(Redis redis) {
    this.redis = redis;
    this.channel = CHANNEL_PREFIX + redis.namespace();
    this.subscription = redis.pubSub();
    subscription.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, String message) {
            String[] parts = message.split("\\|", 3);
            // This node evicted at once when it made the change; its own message coming back
            // later would only evict what it has read again since (and make a reader on this node
            // see the database's value, not the cache's, by chance of timing).
            if (parts.length < 3 || parts[0].equals(node)) {
              return;
            }
            Consumer<String> evict = evictors.get(parts[1]);
            if (evict != null) {
              // Not on Lettuce's event loop: an eviction waits for a load of the same key,
              // and that load may be waiting for a Redis reply this very thread must read.
              String key = parts[2];
              Thread.ofVirtual().name("cache-eviction").start(() -> evict.accept(key));
            }
          }
        });
    subscription.sync().subscribe(channel);
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
      redis.sync().publish(channel, node + "|" + cache + "|" + key);
    } catch (RuntimeException e) {
      log.warn("Could not tell other nodes to evict {} from {}: {}", key, cache, e.toString());
    }
  }

  @Override
  public void destroy() {
    subscription.close();
  }
}
