package dev.ttsapi.embedded;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where the stores are. A blank URL means "start an embedded one under {@code dataDir}".
 *
 * @param dataDir directory for embedded PostgreSQL, embedded Redis and the audio files
 * @param databaseUrl {@code postgresql://user:pass@host:5432/db} or a {@code jdbc:postgresql:} URL
 *     ({@code DATABASE_URL})
 * @param redisUrl {@code redis://[:pass@]host:6379[/db]} ({@code REDIS_URL})
 */
@Validated
@ConfigurationProperties("tts.stores")
public record StoresProperties(@NotNull Path dataDir, String databaseUrl, String redisUrl) {

  public boolean embeddedDatabase() {
    return databaseUrl == null || databaseUrl.isBlank();
  }

  public boolean embeddedRedis() {
    return redisUrl == null || redisUrl.isBlank();
  }
}
