package dev.ttsapi.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zero-setup default: embedded PostgreSQL and Redis keep their data across a restart. */
class EmbeddedStoresTest {

  @TempDir Path dataDir;

  @Test
  void embedded_postgres_keeps_rows_across_a_restart() throws Exception {
    try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dataDir)) {
      execute(first.endpoint(), "CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)");
    }
    try (EmbeddedPostgresServer second = EmbeddedPostgresServer.start(dataDir);
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
