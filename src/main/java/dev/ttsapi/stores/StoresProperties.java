package dev.ttsapi.stores;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where the stores are. A blank URL means "start an embedded one under {@code dataDir}".
 *
 * @param dataDir directory for embedded PostgreSQL, embedded Redis and the audio files
 * @param databaseUrl {@code postgresql://user:pass@host:5432/db} or a {@code jdbc:postgresql:} URL
 *     ({@code DATABASE_URL})
 * @param databaseReplicaUrls streaming replicas of that database, in the same forms ({@code
 *     DATABASE_REPLICA_URLS}, comma-separated); lists and status fallbacks read from them
 * @param redisUrl {@code redis://[:pass@]host:6379[/db]}, {@code redis-cluster://host1:port,…},
 *     {@code redis-sentinel://s1:26379,…?master=name}, or the {@code rediss…} form of each for TLS
 *     ({@code REDIS_URL}; read by the {@code redis} package's {@code RedisUrl})
 * @param redisCommandTimeout longest wait for one Redis command; must exceed the queue's blocking
 *     read ({@code tts.queue.block-timeout})
 * @param embeddedDurable whether the embedded PostgreSQL flushes every commit to disk (fsync,
 *     synchronous commit, full page writes), so a crash of the machine loses no answered request;
 *     only tests turn it off, for speed
 */
@Validated
@ConfigurationProperties("tts.stores")
public record StoresProperties(
    @NotNull Path dataDir,
    String databaseUrl,
    List<String> databaseReplicaUrls,
    String redisUrl,
    @NotNull Duration redisCommandTimeout,
    boolean embeddedDurable) {

  public StoresProperties {
    databaseReplicaUrls =
        databaseReplicaUrls == null
            ? List.of()
            : databaseReplicaUrls.stream().map(String::trim).filter(u -> !u.isEmpty()).toList();
  }

  public boolean embeddedDatabase() {
    return databaseUrl == null || databaseUrl.isBlank();
  }

  public boolean embeddedRedis() {
    return redisUrl == null || redisUrl.isBlank();
  }
}
