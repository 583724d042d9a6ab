package dev.ttsapi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService.IssuedKey;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.OtherNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
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
    try (ConfigurableApplicationContext otherNode = OtherNode.startApiNode()) {
      ApiClient other = OtherNode.client(otherNode);
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
}
