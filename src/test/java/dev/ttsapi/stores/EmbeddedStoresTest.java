package dev.ttsapi.stores;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.TtsApiApplication;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The zero-setup default: embedded PostgreSQL and Redis keep their data across a restart. */
class EmbeddedStoresTest {

  @TempDir Path dataDir;

  @Test
  void the_service_started_with_no_database_url_runs_a_durable_embedded_postgres() {
    // As `./mvnw spring-boot:run` starts it: application.yaml's defaults, no DATABASE_URL, no
    // REDIS_URL (blank here even if this machine's environment sets them).
    try (ConfigurableApplicationContext service =
        new SpringApplicationBuilder(TtsApiApplication.class)
            .run(
                "--server.port=0",
                "--tts.stores.data-dir=" + dataDir,
                "--tts.stores.database-url=",
                "--tts.stores.redis-url=")) {
      JdbcClient jdbc = service.getBean(JdbcClient.class);

      // fsync off: a crash of the machine can corrupt the data directory. synchronous_commit
      // off: it can lose requests already answered 200. full_page_writes off: a torn page.
      assertThat(jdbc.sql("SHOW fsync").query(String.class).single()).isEqualTo("on");
      assertThat(jdbc.sql("SHOW synchronous_commit").query(String.class).single()).isEqualTo("on");
      assertThat(jdbc.sql("SHOW full_page_writes").query(String.class).single()).isEqualTo("on");
      assertThat(Path.of(jdbc.sql("SHOW data_directory").query(String.class).single()))
          .isEqualTo(dataDir.resolve("postgres").toAbsolutePath());
    }
  }

  @Test
  void embedded_postgres_keeps_rows_across_a_restart() throws Exception {
    try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dataDir, true)) {
      execute(first.endpoint(), "CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)");
    }
    try (EmbeddedPostgresServer second = EmbeddedPostgresServer.start(dataDir, true);
        Connection c = connect(second.endpoint());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT x FROM kept")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(42);
    }
  }

  @Test
  void embedded_redis_keeps_streams_across_a_restart() throws Exception {
    try (EmbeddedRedisServer first = EmbeddedRedisServer.start(dataDir)) {
      withRedis(first.url(), redis -> redis.sync().xadd("{tts}:q:normal", "request_id", "kept"));
    }
    try (EmbeddedRedisServer second = EmbeddedRedisServer.start(dataDir)) {
      withRedis(
          second.url(), redis -> assertThat(redis.sync().xlen("{tts}:q:normal")).isEqualTo(1));
    }
  }

  @Test
  void database_url_in_the_seed_form_becomes_a_jdbc_url_with_credentials() {
    DatabaseEndpoint endpoint =
        DatabaseEndpoint.parse("postgresql://tts_user:p%40ss@db:5433/tts_prod?sslmode=require");

    assertThat(endpoint.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5433/tts_prod?sslmode=require");
    assertThat(endpoint.username()).isEqualTo("tts_user");
    assertThat(endpoint.password()).isEqualTo("p@ss");
    assertThat(DatabaseEndpoint.parse("postgresql://db/tts").jdbcUrl())
        .isEqualTo("jdbc:postgresql://db:5432/tts");
  }

  private static void execute(DatabaseEndpoint endpoint, String sql) throws Exception {
    try (Connection c = connect(endpoint);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static Connection connect(DatabaseEndpoint endpoint) throws Exception {
    return DriverManager.getConnection(
        endpoint.jdbcUrl(), endpoint.username(), endpoint.password());
  }

  private static void withRedis(
      String url, java.util.function.Consumer<StatefulRedisConnection<String, String>> work) {
    RedisClient client = RedisClient.create(url);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      work.accept(connection);
    } finally {
      client.shutdown();
    }
  }
}
