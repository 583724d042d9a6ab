package dev.ttsapi.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ttsapi.redis.Redis;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Makes the {@link MultiLevelCache}s of the features that keep database rows close at hand. */
@Component
public class MultiLevelCaches {

  /** Whether a key the loader does not find is remembered as absent, or asked again next time. */
  public enum Absent {
    /** Remembered like a value: for keys that mostly have no row (users without own limits). */
    REMEMBERED,
    /** Asked again: for keys whose row may appear at any moment (a key just issued). */
    NOT_REMEMBERED
  }

  private final Redis redis;
  private final CacheProperties properties;
  private final CacheInvalidation invalidation;
  private final MeterRegistry meters;
  private final JsonMapper json;

  MultiLevelCaches(
      Redis redis,
      CacheProperties properties,
      CacheInvalidation invalidation,
      MeterRegistry meters,
      JsonMapper json) {
    this.json = json;
    this.redis = redis;
    this.properties = properties;
    this.invalidation = invalidation;
    this.meters = meters;
  }

  /**
   * A cache named {@code name} (unique; it names the Redis keys and the invalidation messages) of
   * values of {@code type}, stored in Redis as JSON, read from the database by {@code loader}.
   */
  public <V> MultiLevelCache<V> create(
      String name, Class<V> type, Absent absent, Function<String, Optional<V>> loader) {
    Cache<String, Optional<V>> local =
        Caffeine.newBuilder()
            .maximumSize(properties.localMaxEntries())
            .expireAfterWrite(properties.localTtl())
            .recordStats()
            .build();
    CaffeineCacheMetrics.monitor(meters, local, name);
    return new MultiLevelCache<>(
        name,
        type,
        absent == Absent.REMEMBERED,
        loader,
        local,
        redis,
        json,
        properties,
        invalidation,
        new MultiLevelCache.Levels(level(name, "local"), level(name, "redis"), level(name, "db")));
  }

  private Counter level(String cache, String level) {
    return Counter.builder("tts.multilevel.cache.lookups")
        .description("Lookups of a multi-level cache by the level that answered")
        .tag("cache", cache)
        .tag("level", level)
        .register(meters);
  }
}
