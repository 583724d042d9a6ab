package dev.ttsapi.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ttsapi.audio.AudioStoreProperties.Download;
import dev.ttsapi.audio.FileSystemAudioStore;
import dev.ttsapi.audio.S3AudioStore;
import dev.ttsapi.redis.Redis;
import dev.ttsapi.support.S3ProxyServer;
import dev.ttsapi.support.StoppableRedis;
import dev.ttsapi.support.TestStores;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Readiness follows the stores by itself: a Redis, PostgreSQL or object store that goes away turns
 * the probe down, and the same store coming back on its port turns it up again, with no restart of
 * the node. Each test stops a server of its own, so the shared ones are never stopped.
 */
class StoreProbeTest {

  @Test
  void a_lost_redis_turns_the_probe_down_and_its_return_turns_it_up() throws Exception {
    assumeTrue(onPath("redis-server"), "redis-server is not installed");
    assumeTrue(TestStores.reachable(5432), "no local PostgreSQL");
    try (StoppableRedis server = StoppableRedis.start();
        Redis redis = Redis.standalone(server.url(), Duration.ofSeconds(2))) {
      StoreProbe probe =
          new StoreProbe(
              postgres(),
              redis,
              files(Files.createTempDirectory("probe-audio")),
              properties(),
              null);

      probe.checkNow();
      assertThat(probe.redis().up()).isTrue();
      assertThat(probe.postgres().up()).isTrue();

      server.kill();
      probe.checkNow();
      assertThat(probe.redis().up()).isFalse();
      assertThat(probe.postgres().up()).isTrue();

      server.startAgain();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                probe.checkNow();
                return probe.redis().up();
              });
    }
  }

  @Test
  void a_lost_postgres_turns_the_probe_down_and_its_return_turns_it_up() throws Exception {
    assumeTrue(TestStores.reachable(TestStores.REDIS_PORT), "no local Redis");
    int port = TestStores.freePort();
    Path dataDir = Files.createTempDirectory("probe-postgres");
    io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres = startPostgres(port, dataDir);
    JdbcClient jdbc =
        JdbcClient.create(
            new SimpleDriverDataSource(
                new org.postgresql.Driver(),
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=2",
                "postgres",
                ""));
    try (Redis redis = Redis.standalone(TestStores.redisUrl(), Duration.ofSeconds(2))) {
      StoreProbe probe =
          new StoreProbe(
              jdbc, redis, files(Files.createTempDirectory("probe-audio")), properties(), null);
      probe.checkNow();
      assertThat(probe.postgres().up()).isTrue();

      postgres.close();
      probe.checkNow();
      assertThat(probe.postgres().up()).isFalse();
      assertThat(probe.redis().up()).isTrue();

      postgres = startPostgres(port, dataDir);
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                probe.checkNow();
                return probe.postgres().up();
              });
    } finally {
      postgres.close();
    }
  }

  @Test
  void a_lost_object_store_turns_the_probe_down_and_its_return_turns_it_up() {
    assumeTrue(
        TestStores.reachable(5432) && TestStores.reachable(TestStores.REDIS_PORT),
        "no local stores");
    try (S3ProxyServer s3 = S3ProxyServer.start();
        Redis redis = Redis.standalone(TestStores.redisUrl(), Duration.ofSeconds(2))) {
      s3.createBucket("probe");
      try (S3AudioStore audio =
          S3AudioStore.connect(s3.properties("s3://probe/audio", Download.STREAM))) {
        StoreProbe probe = new StoreProbe(postgres(), redis, audio, properties(), null);
        probe.checkNow();
        assertThat(probe.audio().up()).isTrue();
        assertThat(probe.allUp()).isTrue();

        s3.stop();
        probe.checkNow();
        assertThat(probe.audio().up()).isFalse();
        assertThat(probe.allUp()).isFalse();
        assertThat(probe.postgres().up()).isTrue();
        assertThat(probe.redis().up()).isTrue();

        s3.restart();
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  probe.checkNow();
                  return probe.audio().up();
                });
      }
    }
  }

  private static FileSystemAudioStore files(Path dir) {
    return new FileSystemAudioStore(dir.resolve("audio"));
  }

  private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres startPostgres(
      int port, Path dataDir) throws IOException {
    return io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
        .setPort(port)
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .start();
  }

  private static JdbcClient postgres() {
    SimpleDriverDataSource dataSource =
        new SimpleDriverDataSource(
            new org.postgresql.Driver(),
            "jdbc:postgresql://127.0.0.1:5432/" + TestStores.DATABASE,
            "postgres",
            "");
    TestStores.createDatabaseIfMissing(TestStores.DATABASE);
    return JdbcClient.create(dataSource);
  }

  static ObservabilityProperties properties() {
    return new ObservabilityProperties(
        Duration.ofSeconds(2),
        120,
        Duration.ZERO,
        ObservabilityProperties.AccessLogMode.ASYNC,
        Duration.ZERO);
  }

  static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
