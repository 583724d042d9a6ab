package dev.ttsapi.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code cache_hit: true} used to tell a user that somebody else had already asked for exactly
 * their text. It is now said only for audio the caller asked for before; with {@code
 * tts.request.audio-cache=per-user}, no user's audio is reused for another at all.
 */
class CacheHitPrivacyTest extends IntegrationTest {

  private static final String TEXT = "The minutes of the board meeting.";

  @Test
  void a_hit_on_audio_another_user_asked_for_is_not_called_a_cache_hit() {
    TestUser alice = newUser("alice", Caller.Role.USER);
    TestUser bob = newUser("bob", Caller.Role.USER);
    JsonNode first = submit(alice);
    awaitStatus(alice.key(), first.path("request_id").asString(), "completed");

    JsonNode bobs = submit(bob);
    JsonNode alicesAgain = submit(alice);
    JsonNode bobsAgain = submit(bob);

    assertThat(first.path("cache_hit").asBoolean()).isFalse();
    assertThat(bobs.path("status").asString()).isEqualTo("completed");
    assertThat(bobs.path("cache_hit").asBoolean()).isFalse();
    assertThat(alicesAgain.path("cache_hit").asBoolean()).isTrue();
    assertThat(bobsAgain.path("cache_hit").asBoolean()).isTrue();
  }

  private JsonNode submit(TestUser user) {
    ApiClient.Response response =
        api.post("/tts/request", user.key(), Payloads.submit(TEXT, "mp3"));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json();
  }

  /** Deployments whose tenants must not share anything. */
  @Nested
  @TestPropertySource(properties = "tts.request.audio-cache=per-user")
  class PerUser {

    @Test
    void each_users_audio_is_made_and_kept_apart() {
      TestUser alice = newUser("alice", Caller.Role.USER);
      TestUser bob = newUser("bob", Caller.Role.USER);
      String alices = submit(alice).path("request_id").asString();
      awaitStatus(alice.key(), alices, "completed");

      JsonNode bobs = submit(bob);

      assertThat(bobs.path("status").asString()).isEqualTo("queued");
      assertThat(bobs.path("cache_hit").asBoolean()).isFalse();
      awaitStatus(bob.key(), bobs.path("request_id").asString(), "completed");
      assertThat(
              jdbc.sql("SELECT count(DISTINCT content_key) FROM requests")
                  .query(Long.class)
                  .single())
          .isEqualTo(2);
      assertThat(submit(bob).path("cache_hit").asBoolean()).isTrue();
    }
  }
}
