package dev.ttsapi.cache;

import com.github.benmanes.caffeine.cache.Cache;
import dev.ttsapi.redis.Redis;
import io.lettuce.core.SetArgs;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * One kind of value read through three levels: this node's memory (Caffeine), Redis (shared by
 * every node, key {@code tts_cache:<name>:<key>}), and the loader, which reads PostgreSQL. A value
 * found at one level is copied to the levels above it. Made by {@link MultiLevelCaches}.
 *
 * <p>A change goes to PostgreSQL first, then {@link #invalidate}: the Redis copy is replaced by a
 * short-lived tombstone and every node evicts its own copy through {@link CacheInvalidation}. The
 * tombstone closes the race where a node read the old row just before the change and would put it
 * into Redis just after: values are written to Redis only where no key is (SET NX), and a tombstone
 * is a key. Both levels also expire on their own, which bounds how long a lost pub/sub message can
 * keep a node stale.
 *
 * <p>Redis is an optimization here: when it fails, lookups fall through to the loader.
 */
public final class MultiLevelCache<V> {

  /** What Redis holds in place of a value just invalidated, or of a remembered absence. */
  static final String TOMBSTONE = "~invalidated";

  static final String ABSENT = "~absent";

  private static final Logger log = LoggerFactory.getLogger(MultiLevelCache.class);

  private final String name;
  private final Class<V> type;
  private final boolean rememberAbsent;
  private final Function<String, Optional<V>> loader;
  private final Cache<String, Optional<V>> local;
  private final Redis redis;
  private final JsonMapper json;
  private final Duration sharedTtl;
  private final Duration tombstoneTtl;
  private final CacheInvalidation invalidation;
  private final Counter localHits;
  private final Counter sharedHits;
  private final Counter loads;

  record Levels(Counter localHits, Counter sharedHits, Counter loads) {}

  MultiLevelCache(
      String name,
      Class<V> type,
      boolean rememberAbsent,
      Function<String, Optional<V>> loader,
      Cache<String, Optional<V>> local,
      Redis redis,
      JsonMapper json,
      CacheProperties properties,
      CacheInvalidation invalidation,
      Levels counters) {
    this.name = name;
    this.type = type;
    this.rememberAbsent = rememberAbsent;
    this.loader = loader;
    this.local = local;
    this.redis = redis;
    this.json = json;
    this.sharedTtl = properties.sharedTtl();
    this.tombstoneTtl = properties.tombstoneTtl();
    this.invalidation = invalidation;
    this.localHits = counters.localHits();
    this.sharedHits = counters.sharedHits();
    this.loads = counters.loads();
    invalidation.register(name, local::invalidate);
  }

  /**
   * The value of {@code key} from the nearest level that has it. Absent values are kept only by
   * caches made to remember them; otherwise every lookup of a missing key asks the loader, so a row
   * inserted a moment ago is found at once.
   */
  public Optional<V> get(String key) {
    Optional<V> known = local.getIfPresent(key);
    if (known != null) {
      localHits.increment();
      return known;
    }
    // get(key, fn) holds this key while it loads: an eviction arriving meanwhile waits and then
    // removes what was loaded, instead of being overtaken by it.
    Optional<V> value = local.get(key, this::fromSharedOrLoader);
    return value == null ? Optional.empty() : value;
  }

  /**
   * Drops {@code key} from every level on every node: here at once, elsewhere within moments. Call
   * it after the change is committed to PostgreSQL.
   */
  public void invalidate(String key) {
    try {
      redis.sync().set(redisKey(key), TOMBSTONE, SetArgs.Builder.px(tombstoneTtl.toMillis()));
    } catch (RuntimeException e) {
      log.warn("Could not invalidate {} in Redis cache {}: {}", key, name, e.toString());
    }
    invalidation.invalidate(name, key);
  }

  /** The value, or null for "absent and not to be remembered". */
  private Optional<V> fromSharedOrLoader(String key) {
    String redisKey = redisKey(key);
    String shared = null;
    try {
      shared = redis.sync().get(redisKey);
    } catch (RuntimeException e) {
      log.debug("Redis cache {} unavailable, reading {} from the database: {}", name, key, e);
    }
    if (shared != null && !TOMBSTONE.equals(shared)) {
      sharedHits.increment();
      return ABSENT.equals(shared) ? Optional.empty() : Optional.of(json.readValue(shared, type));
    }
    loads.increment();
    Optional<V> loaded = loader.apply(key);
    if (loaded.isEmpty() && !rememberAbsent) {
      return null;
    }
    if (shared == null) { // a tombstone means: changed just now, do not share what was read
      String encoded = loaded.isPresent() ? json.writeValueAsString(loaded.get()) : ABSENT;
      try {
        redis.sync().set(redisKey, encoded, SetArgs.Builder.nx().px(sharedTtl.toMillis()));
      } catch (RuntimeException e) {
        log.debug("Could not share {} of cache {} in Redis: {}", key, name, e.toString());
      }
    }
    return loaded;
  }

  String redisKey(String key) {
    // v2: values written with the application's JSON mapper (snake_case), not readable as v1
    return "tts_cache:v2:" + name + ":" + key;
  }
}
