package dev.ttsapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.observability.StoreProbe;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.TestStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * PostgreSQL restarted under load: meanwhile the API answers 503 and workers back off without
 * flooding the log; afterwards processing resumes by itself and every accepted request completes,
 * long before any visibility timeout could have rescued it.
 */
class PostgresRestartTest {

  private static final String REDIS = TestStores.redisUrl(4);

  @Test
  void processing_resumes_by_itself_after_postgres_comes_back_and_nothing_is_lost()
      throws Exception {
    Assumptions.assumeTrue(TestStores.reachable(TestStores.REDIS_PORT), "needs Redis on localhost");
    TestStores.flushRedis(REDIS);
    int port = TestStores.freePort();
    Path dataDir = Files.createTempDirectory("restart-postgres");
    EmbeddedPostgres postgres = startPostgres(port, dataDir);
    ListAppender<ILoggingEvent> log = captureLog();
    List<String> args =
        List.of(
            "--server.port=0",
            "--tts.stores.data-dir=target/test-data-restart",
            "--tts.stores.database-url=postgresql://postgres@127.0.0.1:" + port + "/postgres",
            "--tts.stores.redis-url=" + REDIS,
            "--spring.datasource.hikari.connection-timeout=1000",
            "--tts.queue.visibility-timeout=10m",
            "--tts.queue.block-timeout=500ms",
            "--tts.ratelimit.requests-per-minute=100000",
            "--tts.ratelimit.poll-requests-per-minute=100000");
    try (ConfigurableApplicationContext app =
        new SpringApplicationBuilder(TtsApiApplication.class).run(args.toArray(String[]::new))) {
      UserService users = app.getBean(UserService.class);
      Caller user = users.createUser("restart-user", Caller.Role.USER);
      String key = users.issueKey(user.userId()).key();
      ApiClient api = new ApiClient(((WebServerApplicationContext) app).getWebServer().getPort());
      List<String> accepted = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Response r =
            api.post(
                "/tts/request",
                key,
                Payloads.submit(
                    "Request number " + i + " survives a restart.", "mary:cmu-slt-hsmm", "normal"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        accepted.add(r.json().path("request_id").asString());
      }

      postgres.close(); // under load: jobs queued and running
      Response refused = api.post("/tts/request", key, Payloads.submit("Not now.", "wav"));
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.header("Retry-After")).isNotBlank();
      assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
      // The node notices by itself (its readiness probe) before PostgreSQL comes back.
      StoreProbe probe = app.getBean(StoreProbe.class);
      await().atMost(Duration.ofSeconds(15)).until(() -> !probe.postgres().up());

      postgres = startPostgres(port, dataDir);
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  accepted.stream()
                      .allMatch(
                          id ->
                              "completed"
                                  .equals(
                                      api.get("/tts/status/" + id, key)
                                          .json()
                                          .path("status")
                                          .asString())));
    } finally {
      postgres.close();
    }
    long workerWarnings =
        log.list.stream()
            .filter(e -> e.getLoggerName().startsWith("dev.ttsapi.worker"))
            .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
            .count();
    assertThat(workerWarnings)
        .as("one line per outage episode, not one per job")
        .isLessThanOrEqualTo(3);
  }

  private static ListAppender<ILoggingEvent> captureLog() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger("dev.ttsapi")).addAppender(appender);
    return appender;
  }

  private static EmbeddedPostgres startPostgres(int port, Path dataDir) throws IOException {
    return EmbeddedPostgres.builder()
        .setPort(port)
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .start();
  }
}
