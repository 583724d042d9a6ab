package dev.ttsapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.TestStores;
import io.micrometer.core.instrument.MeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * PostgreSQL gone while a group of submits is written: every caller of the group gets its 503 (with
 * Retry-After), none a 200, and no caller is left hanging.
 */
class GroupCommitOutageTest {

  private static final String REDIS = TestStores.redisUrl(5);
  private static final int SUBMITS = 6;

  @Test
  void every_submit_of_a_group_gets_503_when_postgres_is_down() throws Exception {
    Assumptions.assumeTrue(TestStores.reachable(TestStores.REDIS_PORT), "needs Redis on localhost");
    TestStores.flushRedis(REDIS);
    int port = TestStores.freePort();
    Path dataDir = Files.createTempDirectory("group-commit-postgres");
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDir).start();
    List<String> args =
        List.of(
            "--server.port=0",
            "--tts.stores.data-dir=target/test-data-group-outage",
            "--tts.stores.database-url=postgresql://postgres@127.0.0.1:" + port + "/postgres",
            "--tts.stores.redis-url=" + REDIS,
            "--spring.datasource.hikari.connection-timeout=1000",
            "--tts.observability.drain-window=0s",
            // a group is held open this long, so submits started together share it
            "--tts.request.group-commit-wait=300ms",
            "--tts.ratelimit.requests-per-minute=100000");
    try (ConfigurableApplicationContext app =
        new SpringApplicationBuilder(TtsApiApplication.class).run(args.toArray(String[]::new))) {
      UserService users = app.getBean(UserService.class);
      Caller user = users.createUser("outage-user", Caller.Role.USER);
      String key = users.issueKey(user.userId()).key();
      ApiClient api = new ApiClient(((WebServerApplicationContext) app).getWebServer().getPort());
      // the key and the voices are known before PostgreSQL goes: only the group's write fails
      Response before = api.post("/tts/request", key, Payloads.submit("Before the outage.", "wav"));
      assertThat(before.status()).as(before.text()).isEqualTo(200);
      MeterRegistry registry = app.getBean(MeterRegistry.class);
      long groupsBefore = registry.get("tts.requests.group.size").summary().count();

      postgres.close();
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Response>> answers = new ArrayList<>();
      try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < SUBMITS; i++) {
          String text = "Submitted while PostgreSQL is down, number " + i + ".";
          answers.add(
              clients.submit(
                  () -> {
                    start.await();
                    return api.post("/tts/request", key, Payloads.submit(text, "wav"));
                  }));
        }
        start.countDown();
        for (Future<Response> answer : answers) {
          Response r = answer.get(60, TimeUnit.SECONDS);
          assertThat(r.status()).as(r.text()).isEqualTo(503);
          assertThat(r.header("Retry-After")).isNotBlank();
        }
      }
      assertThat(registry.get("tts.requests.group.size").summary().count() - groupsBefore)
          .as("the failed submits were written as a group")
          .isBetween(1L, SUBMITS - 1L);
    } finally {
      postgres.close();
    }
  }
}
