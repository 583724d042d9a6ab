package dev.ttsapi.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.support.ApplicationYaml;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;

/** The cache expiries in application.yaml, and the one relation between them that matters. */
class CacheDefaultsTest {

  @Test
  void memory_then_redis_expire_in_minutes_and_a_tombstone_outlives_a_query() throws IOException {
    CacheProperties cache =
        Binder.get(ApplicationYaml.environment()).bind("tts.cache", CacheProperties.class).get();
    assertThat(cache.localTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(cache.sharedTtl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(cache.localMaxEntries()).isEqualTo(100_000);
    assertThat(cache.tombstoneTtl()).isEqualTo(Duration.ofSeconds(5)).isLessThan(cache.localTtl());
    assertThat(cache.unknownKeyTtl()).isEqualTo(Duration.ofMinutes(1));
  }
}
