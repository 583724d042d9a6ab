package dev.ttsapi.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.TtsApiApplication;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.TestStores;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A stopping API node first turns not-ready and keeps serving for its drain window, as a load
 * balancer or Kubernetes (whose endpoint removal races the SIGTERM) needs, and only then stops.
 */
class DrainWindowTest {

  @Test
  void a_stopping_node_is_not_ready_but_still_serves_for_its_drain_window() throws Exception {
    TestStores.assumeLocalStores();
    String database = TestStores.DATABASE + "_drain";
    TestStores.recreateDatabase(database);
    List<String> args =
        List.of(
            "--server.port=0",
            "--tts.roles=api",
            "--tts.stores.data-dir=target/test-data-drain",
            "--tts.stores.database-url=postgresql://postgres@127.0.0.1:5432/" + database,
            "--tts.stores.redis-url=" + TestStores.redisUrl((TestStores.REDIS_DB + 12) % 16),
            "--tts.observability.drain-window=4s");
    ConfigurableApplicationContext node =
        new SpringApplicationBuilder(TtsApiApplication.class).run(args.toArray(String[]::new));
    ApiClient api = new ApiClient(((WebServerApplicationContext) node).getWebServer().getPort());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> api.get("/health/ready", null).status() == 200);

    Thread stopping = Thread.ofVirtual().start(node::close); // what SIGTERM's hook does

    await()
        .atMost(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> api.get("/health/ready", null).status() == 503);
    ApiClient.Response ready = api.get("/health/ready", null);
    ApiClient.Response health = api.get("/health", null);
    stopping.join();

    assertThat(ready.json().path("checks").path("shutdown").asString()).isEqualTo("draining");
    assertThat(health.status()).as("still serving while not ready").isEqualTo(200);
    assertThat(node.isActive()).isFalse();
  }
}
