package dev.ttsapi.stores;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Finds PostgreSQL and Redis: the ones named by {@code DATABASE_URL} and {@code REDIS_URL}, or
 * embedded ones started here when those are not set; connects to PostgreSQL (Redis connections are
 * made by the {@code redis} package). Embedded servers are beans, so they stop after everything
 * that uses them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StoresProperties.class)
class StoresConfiguration {

  private static final Logger log = LoggerFactory.getLogger(StoresConfiguration.class);

  private static final SharedEmbedded<EmbeddedPostgresServer> POSTGRES = new SharedEmbedded<>();
  private static final SharedEmbedded<EmbeddedRedisServer> REDIS = new SharedEmbedded<>();

  /** The embedded servers this context uses, if any; released (and stopped) at shutdown. */
  record EmbeddedServers(Path dataDir, EmbeddedPostgresServer postgres, EmbeddedRedisServer redis)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      if (redis != null) {
        REDIS.release(dataDir);
      }
      if (postgres != null) {
        POSTGRES.release(dataDir);
      }
    }
  }

  @Bean(destroyMethod = "close")
  EmbeddedServers embeddedServers(StoresProperties stores) {
    Path dir = stores.dataDir();
    EmbeddedPostgresServer postgres =
        stores.embeddedDatabase()
            ? POSTGRES.acquire(dir, d -> EmbeddedPostgresServer.start(d, stores.embeddedDurable()))
            : null;
    EmbeddedRedisServer redis =
        stores.embeddedRedis() ? REDIS.acquire(dir, EmbeddedRedisServer::start) : null;
    return new EmbeddedServers(dir, postgres, redis);
  }

  @Bean
  DatabaseEndpoint databaseEndpoint(StoresProperties stores, EmbeddedServers embedded) {
    DatabaseEndpoint endpoint =
        embedded.postgres() != null
            ? embedded.postgres().endpoint()
            : DatabaseEndpoint.parse(stores.databaseUrl());
    log.info("PostgreSQL: {}", endpoint);
    return endpoint;
  }

  /** HikariCP; pool size and timeouts bind from {@code spring.datasource.hikari.*}. */
  @Bean
  @ConfigurationProperties("spring.datasource.hikari")
  HikariDataSource dataSource(DatabaseEndpoint endpoint) {
    HikariDataSource dataSource = new HikariDataSource();
    dataSource.setJdbcUrl(endpoint.jdbcUrl());
    if (endpoint.username() != null) {
      dataSource.setUsername(endpoint.username());
    }
    if (endpoint.password() != null) {
      dataSource.setPassword(endpoint.password());
    }
    return dataSource;
  }

  @Bean
  RedisEndpoint redisEndpoint(StoresProperties stores, EmbeddedServers embedded) {
    return new RedisEndpoint(
        embedded.redis() != null ? embedded.redis().url() : stores.redisUrl().trim());
  }
}
