package dev.ttsapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.TestStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One jar, several roles: an API-only process accepts a request that a worker-only process, sharing
 * nothing with it but PostgreSQL and Redis, speaks.
 */
class RoleSplitTest {

  @Test
  void api_only_node_accepts_and_worker_only_node_speaks() {
    // Their own databases, so no other test context's worker or sweeper can touch the job.
    // Two processes can only share stores that run outside them.
    TestStores.assumeLocalStores();
    // Apart per checkout (-Dtts.test.database=…), and made anew so no earlier run's data counts.
    String database = TestStores.DATABASE + "_split";
    TestStores.recreateDatabase(database);
    List<String> shared =
        List.of(
            "server.port=0",
            "tts.stores.data-dir=target/test-data-split",
            "tts.stores.database-url=postgresql://postgres@127.0.0.1:5432/" + database,
            "tts.stores.redis-url=" + TestStores.redisUrl(10));
    try (ConfigurableApplicationContext apiNode = start(shared, "tts.roles=api");
        ConfigurableApplicationContext workerNode = start(shared, "tts.roles=worker")) {
      assertThat(apiNode.containsBean("jobDispatcher")).isFalse();
      assertThat(apiNode.containsBean("maintenanceTasks")).isFalse();
      assertThat(workerNode.containsBean("ttsController")).isFalse();
      assertThat(workerNode.containsBean("jobDispatcher")).isTrue();

      UserService users = apiNode.getBean(UserService.class);
      Caller user = users.createUser("split-" + System.nanoTime(), Caller.Role.USER);
      String key = users.issueKey(user.userId()).key();
      ApiClient api = new ApiClient(port(apiNode));
      String id =
          api.post("/tts/request", key, Payloads.submit("Two processes, one answer.", "wav"))
              .json()
              .path("request_id")
              .asString();

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  "completed"
                      .equals(api.get("/tts/status/" + id, key).json().path("status").asString()));
      assertThat(new ApiClient(port(workerNode)).get("/tts/status/" + id, key).status())
          .as("the worker node serves no API")
          .isEqualTo(404);
    }
  }

  private static ConfigurableApplicationContext start(List<String> shared, String roles) {
    List<String> properties = new ArrayList<>(shared);
    properties.add(roles);
    // As command-line arguments, which win over application.yaml.
    return new SpringApplicationBuilder(TtsApiApplication.class)
        .run(properties.stream().map(p -> "--" + p).toArray(String[]::new));
  }

  private static int port(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }
}
