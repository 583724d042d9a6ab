package dev.ttsapi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.TtsApiApplication;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService.IssuedKey;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.TestStores;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * API keys are cached in each node's memory; revoking one on any node stops it on every node within
 * a second (Redis pub/sub), not when the cache would have expired.
 */
class KeyRevocationTest extends IntegrationTest {

  @Test
  void a_key_revoked_on_one_node_is_refused_by_another_within_a_second() {
    TestUser admin = newUser("revoking-admin", Caller.Role.ADMIN);
    TestUser user = newUser("revoked-user", Caller.Role.USER);
    IssuedKey second = users.issueKey(user.caller().userId());
    try (ConfigurableApplicationContext otherNode = startSecondApiNode()) {
      ApiClient other =
          new ApiClient(((WebServerApplicationContext) otherNode).getWebServer().getPort());
      // Both nodes have now cached the key.
      assertThat(api.get("/tts/voices", second.key()).status()).isEqualTo(200);
      assertThat(other.get("/tts/voices", second.key()).status()).isEqualTo(200);

      assertThat(api.delete("/admin/keys/" + second.keyId(), admin.key()).status()).isEqualTo(204);

      assertThat(api.get("/tts/voices", second.key()).status()).isEqualTo(401);
      await()
          .atMost(Duration.ofSeconds(1))
          .until(() -> other.get("/tts/voices", second.key()).status() == 401);
      assertThat(other.get("/tts/voices", user.key()).status())
          .as("the user's other key still works")
          .isEqualTo(200);
    }
  }

  @Test
  void revoking_an_unknown_key_is_a_404_problem() {
    TestUser admin = newUser("revoking-admin-2", Caller.Role.ADMIN);
    var response = api.delete("/admin/keys/" + java.util.UUID.randomUUID(), admin.key());
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
  }

  /** Another API node on the same stores as the test context (local, or the shared embedded). */
  private static ConfigurableApplicationContext startSecondApiNode() {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "--server.port=0", "--tts.roles=api", "--tts.stores.data-dir=target/test-data"));
    if (TestStores.reachable(5432)) {
      args.add(
          "--tts.stores.database-url=postgresql://postgres@127.0.0.1:5432/" + TestStores.DATABASE);
    }
    if (TestStores.reachable(6379)) {
      args.add("--tts.stores.redis-url=" + TestStores.redisUrl());
    }
    return new SpringApplicationBuilder(TtsApiApplication.class).run(args.toArray(String[]::new));
  }
}
