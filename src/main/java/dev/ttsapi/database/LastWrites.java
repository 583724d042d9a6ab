package dev.ttsapi.database;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
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

  /**
   * Keeps the larger position (two nodes may record one user's writes out of order) and renews the
   * key's life. Positions are zero-padded decimals, so comparing strings compares numbers.
   */
  private static final String REMEMBER =
      """
      local current = redis.call('get', KEYS[1])
      if not current or current < ARGV[1] then
        redis.call('set', KEYS[1], ARGV[1], 'px', ARGV[2])
      else
        redis.call('pexpire', KEYS[1], ARGV[2])
      end
      return 1
      """;

  private final StatefulRedisConnection<String, String> redis;
  private final Duration ttl;
  private final Cache<UUID, Long> local;

  LastWrites(StatefulRedisConnection<String, String> redis, Duration ttl) {
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
      redis
          .sync()
          .eval(
              REMEMBER,
              ScriptOutputType.INTEGER,
              new String[] {key(user)},
              "%020d".formatted(position),
              Long.toString(ttl.toMillis()));
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
