package dev.ttsapi.embedded;

import com.zaxxer.hikari.HikariDataSource;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Connects to PostgreSQL and Redis: the ones named by {@code DATABASE_URL} and {@code REDIS_URL},
 * or embedded ones started here when those are not set. Embedded servers are beans, so they stop
 * after everything that uses them.
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
  RedisURI redisUri(StoresProperties stores, EmbeddedServers embedded) {
    String url = embedded.redis() != null ? embedded.redis().url() : stores.redisUrl().trim();
    RedisURI uri = RedisURI.create(url);
    log.info("Redis: {}:{} db {}", uri.getHost(), uri.getPort(), uri.getDatabase());
    return uri;
  }

  /**
   * Commands fail fast instead of waiting: rejected at once while disconnected, timed out after
   * {@code tts.stores.redis-command-timeout}. A request then falls back to PostgreSQL (the sweeper
   * queues it later) and a worker backs off, rather than hanging on a dead Redis.
   */
  @Bean(destroyMethod = "shutdown")
  RedisClient redisClient(RedisURI uri, StoresProperties stores, ClientResources resources) {
    // The resources (event loops, command latency metrics) come from the observability package.
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(
        ClientOptions.builder()
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(stores.redisCommandTimeout()))
            .build());
    return client;
  }

  /**
   * The connection shared by every non-blocking Redis command. Lettuce multiplexes it; commands
   * sent without waiting travel together (pipelining). Blocking reads use their own connections.
   */
  @Bean(destroyMethod = "close")
  StatefulRedisConnection<String, String> redisConnection(RedisClient client) {
    return client.connect();
  }
}
