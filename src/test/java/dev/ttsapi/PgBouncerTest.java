package dev.ttsapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.TestStores;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service behind a real PgBouncer in transaction pooling mode (the seed's pgbouncer.ini):
 * migrations, the maintenance lock, the whole request path and status fallback to PostgreSQL all
 * work, because nothing relies on session state or server-side prepared statements ({@code
 * prepareThreshold=0} in the URL).
 */
class PgBouncerTest {

  private static final String DATABASE = TestStores.DATABASE + "_bouncer";
  private static final String REDIS = TestStores.redisUrl(2);

  private Process pgbouncer;

  @AfterEach
  void stopPgBouncer() {
    if (pgbouncer != null) {
      pgbouncer.destroy();
    }
  }

  @Test
  void the_request_path_works_through_pgbouncer_in_transaction_mode() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/sbin/pgbouncer")), "pgbouncer is not installed");
    Assumptions.assumeTrue(
        TestStores.reachable(5432) && TestStores.reachable(TestStores.REDIS_PORT),
        "needs PostgreSQL and Redis");
    TestStores.recreateDatabase(DATABASE);
    TestStores.flushRedis(REDIS);
    int port = TestStores.freePort();
    pgbouncer = startPgBouncer(port);
    await().atMost(Duration.ofSeconds(10)).until(() -> TestStores.reachable(port));

    List<String> args =
        List.of(
            "--server.port=0",
            "--tts.stores.data-dir=target/test-data-bouncer",
            "--tts.stores.database-url=postgresql://postgres@127.0.0.1:"
                + port
                + "/tts_bouncer?prepareThreshold=0",
            "--tts.stores.redis-url=" + REDIS);
    try (ConfigurableApplicationContext app =
        new SpringApplicationBuilder(TtsApiApplication.class).run(args.toArray(String[]::new))) {
      UserService users = app.getBean(UserService.class);
      Caller user = users.createUser("bouncer-user", Caller.Role.USER);
      String key = users.issueKey(user.userId()).key();
      ApiClient api = new ApiClient(((WebServerApplicationContext) app).getWebServer().getPort());

      // More statements than pgjdbc's default prepare threshold (5) of each kind.
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Response r =
            api.post(
                "/tts/request", key, Payloads.submit("Pooled connection number " + i + ".", "wav"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        ids.add(r.json().path("request_id").asString());
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  ids.stream()
                      .allMatch(
                          id ->
                              "completed"
                                  .equals(
                                      api.get("/tts/status/" + id, key)
                                          .json()
                                          .path("status")
                                          .asString())));
      assertThat(api.get("/tts/audio/" + ids.getFirst(), key).status()).isEqualTo(200);
      assertThat(api.get("/tts/requests?limit=5", key).json().path("items")).hasSize(5);
      // Status from PostgreSQL when Redis has none.
      RedisClient client = RedisClient.create(REDIS);
      try (StatefulRedisConnection<String, String> redis = client.connect()) {
        redis.sync().del("tts_status:" + ids.getLast());
      } finally {
        client.shutdown();
      }
      assertThat(api.get("/tts/status/" + ids.getLast(), key).json().path("status").asString())
          .isEqualTo("completed");
    }
  }

  private static Process startPgBouncer(int port) throws IOException {
    Path dir =
        Files.createTempDirectory(
            "pgbouncer",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
    Files.writeString(dir.resolve("userlist.txt"), "\"postgres\" \"\"\n");
    Path ini = dir.resolve("pgbouncer.ini");
    Files.writeString(
        ini,
        """
        [databases]
        tts_bouncer = host=127.0.0.1 port=5432 dbname=%s user=postgres

        [pgbouncer]
        listen_addr = 127.0.0.1
        listen_port = %d
        unix_socket_dir =
        auth_type = trust
        auth_file = %s
        pool_mode = transaction
        max_client_conn = 1000
        default_pool_size = 5
        ignore_startup_parameters = extra_float_digits,options
        """
            .formatted(DATABASE, port, dir.resolve("userlist.txt")));
    for (Path file : List.of(ini, dir.resolve("userlist.txt"))) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }
    List<String> command = new ArrayList<>(List.of("/usr/sbin/pgbouncer"));
    if ("root".equals(System.getProperty("user.name"))) {
      command.addAll(List.of("-u", "nobody")); // PgBouncer refuses to run as root
    }
    command.add(ini.toString());
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("pgbouncer.log").toFile())
        .start();
  }
}
