package dev.ttsapi.database;

import com.zaxxer.hikari.HikariDataSource;
import dev.ttsapi.redis.Redis;
import dev.ttsapi.runtime.PeriodicTasks;
import dev.ttsapi.stores.DatabaseEndpoint;
import dev.ttsapi.stores.StoresProperties;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;

/**
 * The read replicas of {@code DATABASE_REPLICA_URLS}, each with a pool like the primary's, and the
 * {@link DatabaseRouter} over them; none configured means one DataSource, as before.
 */
@Configuration(proxyBeanMethods = false)
class ReadRoutingConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ReadRoutingConfiguration.class);

  @Bean(destroyMethod = "close")
  DatabaseRouter databaseRouter(
      StoresProperties stores,
      ReadRoutingProperties properties,
      DataSource primaryDataSource,
      JdbcClient primary,
      Redis redis)
      throws SQLException {
    List<Replica> replicas = new ArrayList<>();
    for (String url : stores.databaseReplicaUrls()) {
      // The pool's settings are copied to each replica's; unwrap, as the DataSource may be wrapped
      // (by a metrics or statement-counting proxy).
      HikariDataSource primaryPool = primaryDataSource.unwrap(HikariDataSource.class);
      DatabaseEndpoint endpoint = DatabaseEndpoint.parse(url);
      log.info("PostgreSQL read replica: {}", endpoint);
      replicas.add(
          Replica.open(
              replicas.size() + 1,
              endpoint,
              primaryPool,
              properties.replicaConnectionTimeout(),
              properties.replicaReadTimeout()));
    }
    return new DatabaseRouter(
        primary,
        replicas,
        new LastWrites(redis, properties.rememberWritesFor()),
        properties.rememberWritesFor());
  }

  /** Reads each replica's replay position (and the primary's) every replica-check-interval. */
  @Bean
  PeriodicTasks replicaChecks(
      DatabaseRouter router, ReadRoutingProperties properties, TaskScheduler scheduler) {
    return new PeriodicTasks(scheduler) {
      @Override
      protected List<Task> tasks() {
        return router.replicated()
            ? List.of(new Task(router::check, properties.replicaCheckInterval()))
            : List.of();
      }
    };
  }
}
