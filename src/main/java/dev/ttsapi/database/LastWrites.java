package dev.ttsapi.database;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ttsapi.redis.Redis;
import dev.ttsapi.redis.RedisScript;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where in the primary's write-ahead log each user's last write ended, for a while: in Redis, so
 * every API node knows it, and in this node's memory, so a Redis hiccup between a write and the
 * next read does not send the reader to a replica that lacks it.
 */
final class LastWrites {

  private static final Logger log = LoggerFactory.getLogger(LastWrites.class);

  /** Unknown (Redis unreadable): the caller must read from the primary. */
  static final long UNKNOWN = Long.MAX_VALUE;

  private final Redis redis;
  private final Duration ttl;
  private final Cache<UUID, Long> local;

  LastWrites(Redis redis, Duration ttl) {
    this.redis = redis;
    this.ttl = ttl;
    this.local = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(100_000).build();
  }

  static String key(UUID user) {
    return "tts_last_write:" + user;
  }

  void remember(UUID user, long position) {
    local.asMap().merge(user, position, Math::max);
    try {
      // The larger position wins (two nodes may record one user's writes out of order).
      redis.eval(
          RedisScript.KEEP_MAX,
          List.of(key(user)),
          List.of("%020d".formatted(position), Long.toString(ttl.toMillis())));
    } catch (RuntimeException e) {
      log.warn(
          "Last write of user {} not recorded in Redis ({}); other API nodes may read it from a"
              + " replica that lacks it",
          user,
          e.toString());
    }
  }

  /** The user's last write position, 0 if none is remembered, {@link #UNKNOWN} if unreadable. */
  long of(UUID user) {
    Long mine = local.getIfPresent(user);
    String shared;
    try {
      shared = redis.sync().get(key(user));
    } catch (RuntimeException e) {
      return UNKNOWN;
    }
    long theirs = shared == null ? 0 : Long.parseLong(shared);
    return Math.max(theirs, mine == null ? 0 : mine);
  }

  /** Marks the user as having written somewhere unknown: their reads go to the primary here. */
  void rememberUnknown(UUID user) {
    local.put(user, UNKNOWN);
  }
}
