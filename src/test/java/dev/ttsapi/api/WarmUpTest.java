package dev.ttsapi.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.observability.WarmUp;
import dev.ttsapi.stores.RedisEndpoint;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.OtherNode;
import dev.ttsapi.support.RedisMonitor;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Before an API node reports ready it runs its submit, cache-hit and status paths again and again
 * ({@link SubmitWarmUp}), so its first users meet compiled code; nobody may be able to tell it did:
 * no request row or event, no usage, no stored audio, no webhook, no Redis key written (quota,
 * budget, status hash, queue entry), no status event.
 */
class WarmUpTest extends IntegrationTest {

  private static final List<String> LEFT_BEHIND =
      List.of("requests", "logs", "usage_daily", "audio_cache", "webhook_deliveries");

  @Autowired private SubmitWarmUp warmUp;
  @Autowired private RedisEndpoint redisEndpoint;

  @Test
  void the_hot_paths_leave_nothing_a_user_could_see() throws Exception {
    worker().stop(); // no job of anyone's runs meanwhile
    RedisURI uri = RedisURI.create(redisEndpoint.url());
    List<String> sent;
    try (RedisMonitor monitor = new RedisMonitor(uri)) {
      for (int i = 0; i < 50; i++) {
        warmUp.runOnce();
      }
      Thread.sleep(300); // MONITOR lines still on their way
      sent = monitor.fromClients(uri.getDatabase());
    } finally {
      worker().start();
    }

    for (String table : LEFT_BEHIND) {
      assertThat(count(table)).as("rows left in %s", table).isZero();
    }
    // It ran: each run reads the status hash of its queued request (and finds none), and that is
    // all it sends Redis: no status write (a script naming the hash), event, queue entry, budget
    // or quota. (The node's own background work, heartbeats and its pub/sub probe, is on the wire
    // too.)
    List<String> warmUps = sent.stream().filter(l -> l.contains("\"tts_status:")).toList();
    assertThat(warmUps).hasSize(50);
    assertThat(warmUps.stream().map(RedisMonitor::command)).containsOnly("HGETALL");
    // nothing names its made-up user: no status event on its channel, no budget or quota key
    String user = warmUp.userId().toString();
    assertThat(sent).noneMatch(l -> l.contains(user));
    assertThat(sent).noneMatch(l -> l.contains("{rl:"));
    assertThat(sent.stream().map(RedisMonitor::command)).doesNotContain("XADD", "LPUSH", "ZADD");
    assertThat(redis.sync().keys("tts_status:*")).isEmpty();
  }

  @Test
  void a_node_is_not_ready_until_its_hot_paths_are_warm_and_then_nothing_is_left() {
    try (ConfigurableApplicationContext node =
        OtherNode.startApiNode("--tts.observability.warm-up-hot-paths=3s")) {
      ApiClient client = OtherNode.client(node);

      // Spring has started and the port answers, but the hot paths are still being run.
      ApiClient.Response early = client.get("/health/ready", null);
      assertThat(early.status()).as(early.text()).isEqualTo(503);
      assertThat(early.json().path("checks").path("warm_up").asString()).isEqualTo("running");

      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> client.get("/health/ready", null).status() == 200);
      JsonNode ready = client.get("/health/ready", null).json();
      assertThat(ready.path("checks").path("warm_up").asString()).isEqualTo("done");
      assertThat(node.getBean(WarmUp.class).hotPathRuns()).isGreaterThan(10);
    }
    for (String table : LEFT_BEHIND) {
      assertThat(count(table)).as("rows left in %s", table).isZero();
    }
    assertThat(redis.sync().keys("tts_status:*")).isEmpty();
    assertThat(redis.sync().keys("*{rl:*")).isEmpty();
  }

  private long count(String table) {
    return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
  }
}
