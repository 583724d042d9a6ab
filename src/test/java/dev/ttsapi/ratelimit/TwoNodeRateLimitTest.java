package dev.ttsapi.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.TtsApiApplication;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.TestStores;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two API nodes share one limit exactly (the buckets live in Redis), and a node writes the usage it
 * buffered when it shuts down.
 */
class TwoNodeRateLimitTest extends IntegrationTest {

  @Autowired private UsageAudit audit;

  @Test
  void two_api_nodes_hit_concurrently_allow_exactly_the_limit_and_flush_usage_at_shutdown()
      throws Exception {
    Assumptions.assumeTrue(
        TestStores.reachable(5432) && TestStores.reachable(TestStores.REDIS_PORT),
        "a second node can only share stores that run outside this process");
    worker().stop();
    TestUser admin = newUser("two-node-admin", Caller.Role.ADMIN);
    TestUser user = newUser("two-node-user", Caller.Role.USER);
    api.put(
        "/admin/users/" + user.caller().userId() + "/limits",
        admin.key(),
        "{\"requests_per_minute\":5}");

    List<Integer> statuses = new ArrayList<>();
    try (ConfigurableApplicationContext second = startApiNode()) {
      ApiClient other =
          new ApiClient(((WebServerApplicationContext) second).getWebServer().getPort());
      List<ApiClient> nodes = List.of(api, other);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> calls = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
        for (int i = 0; i < 20; i++) {
          ApiClient node = nodes.get(i % 2);
          String body = Payloads.submit("Call " + i, "wav");
          calls.add(
              pool.submit(
                  () -> {
                    start.await();
                    return node.post("/tts/request", user.key(), body).status();
                  }));
        }
        start.countDown();
        for (Future<Integer> call : calls) {
          statuses.add(call.get());
        }
      }
    } // the second node stops here and writes what it buffered

    assertThat(statuses).filteredOn(s -> s == 200).hasSize(5);
    assertThat(statuses).filteredOn(s -> s == 429).hasSize(15);
    assertThat(jdbc.sql("SELECT count(*) FROM requests").query(Long.class).single()).isEqualTo(5);
    audit.flush();
    var row =
        jdbc.sql(
                "SELECT sum(requests) AS r, sum(refused_requests) AS f FROM rate_limit"
                    + " WHERE user_id = ?")
            .param(user.caller().userId())
            .query()
            .singleRow();
    assertThat(((Number) row.get("r")).longValue()).isEqualTo(5);
    assertThat(((Number) row.get("f")).longValue()).isEqualTo(15);
  }

  private static ConfigurableApplicationContext startApiNode() {
    return new SpringApplicationBuilder(TtsApiApplication.class)
        .run(
            "--server.port=0",
            "--tts.roles=api",
            "--tts.stores.data-dir=target/test-data-second-node",
            "--tts.stores.database-url=postgresql://postgres@127.0.0.1:5432/" + TestStores.DATABASE,
            "--tts.stores.redis-url=" + TestStores.redisUrl());
  }
}
