package dev.ttsapi.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every request answered from stored audio counts one hit on its cache entry, written in batches.
 */
class AudioCacheHitsTest extends IntegrationTest {

  @Autowired AudioCacheHits cacheHits;

  @Test
  void each_request_answered_from_stored_audio_counts_one_hit() {
    TestUser user = newUser("hits-user", Caller.Role.USER);
    String body = Payloads.submit("Say this once, serve it thrice.", "wav");
    String first = api.post("/tts/request", user.key(), body).json().path("request_id").asString();
    awaitStatus(user.key(), first, "completed");
    for (int i = 0; i < 3; i++) {
      assertThat(api.post("/tts/request", user.key(), body).json().path("cache_hit").asBoolean())
          .isTrue();
    }

    cacheHits.flush();

    assertThat(jdbc.sql("SELECT hits FROM audio_cache").query(Long.class).list())
        .containsExactly(3L);
    cacheHits.flush(); // nothing counted twice
    assertThat(jdbc.sql("SELECT hits FROM audio_cache").query(Long.class).single()).isEqualTo(3L);
  }
}
