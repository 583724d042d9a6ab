package dev.ttsapi.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.MarkerEngine;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.RedisSentinelServers;
import dev.ttsapi.support.TestStores;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;

/**
 * REDIS_URL naming three Sentinels: the service finds the master through them, serves the whole
 * request path, and after the master is killed and a Sentinel failover promotes the replica, it
 * follows the new master by itself (ports 7121–7125: master, replica, three Sentinels).
 */
@org.springframework.test.context.TestPropertySource(properties = "tts.test.redis-kind=sentinel")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RedisSentinelTest extends IntegrationTest {

  private static RedisSentinelServers sentinels;

  /** This class's context talks to its own Redis (read when the context starts, after this). */
  @BeforeAll
  static void useItsRedis() {
    System.setProperty(TestStores.REDIS_URL_PROPERTY, servers().url());
  }

  @AfterAll
  static void leaveItsRedis() {
    System.clearProperty(TestStores.REDIS_URL_PROPERTY);
  }

  private static synchronized RedisSentinelServers servers() {
    if (sentinels == null) {
      sentinels = RedisSentinelServers.start(7121);
      RedisSentinelServers started = sentinels;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close));
    }
    return sentinels;
  }

  @Test
  void requests_complete_through_the_sentinels_master_and_again_after_a_failover() {
    assertThat(redis.cluster()).isFalse();
    assertThat(redis.masters()).singleElement().satisfies(m -> assertThat(m.up()).isTrue());
    TestUser user = newUser("sentinel-user", Caller.Role.USER);
    String before = submit(user, "Before the failover.");
    awaitStatus(user.key(), before, "completed");

    sentinels.kill(sentinels.masterPort());
    sentinels.awaitSentinelsSee(sentinels.replicaPort());
    // The service follows by itself: a little while after, commands reach the new master.
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () -> {
              redis.sync().set("sentinel-probe", "1");
              return true;
            });

    String after = submit(user, "After the failover.");
    awaitStatus(user.key(), after, "completed");
    assertThat(api.get("/tts/audio/" + after, user.key()).status()).isEqualTo(200);
    assertThat(api.get("/tts/audio/" + before, user.key()).status()).isEqualTo(200);
    List<Long> limit =
        redis.eval(RedisScript.GCRA, List.of("{rl:sentinel}:submit"), List.of("60000", "10"));
    assertThat(limit.getFirst()).as("scripts run on the new master").isEqualTo(1L);
  }

  private String submit(TestUser user, String text) {
    Response r =
        api.post("/tts/request", user.key(), Payloads.submit(text, MarkerEngine.VOICE, "normal"));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json().path("request_id").asString();
  }
}
