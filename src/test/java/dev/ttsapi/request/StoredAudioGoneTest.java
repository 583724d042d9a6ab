package dev.ttsapi.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A repeat whose audio the index still lists but the audio store has lost is not answered
 * "completed" (its download would fail): it is queued and synthesized again, and the audio is
 * stored anew.
 */
class StoredAudioGoneTest extends IntegrationTest {

  @Autowired AudioStore audioStore;

  @Test
  void a_repeat_whose_stored_audio_was_deleted_is_synthesized_again() {
    TestUser user = newUser("gone-user", Caller.Role.USER);
    String body = Payloads.submit("Stored once, then lost.", "wav");
    String first = api.post("/tts/request", user.key(), body).json().path("request_id").asString();
    awaitStatus(user.key(), first, "completed");
    String contentKey =
        jdbc.sql("SELECT content_key FROM requests WHERE id = CAST(:id AS uuid)")
            .param("id", first)
            .query(String.class)
            .single();
    assertThat(audioStore.delete(contentKey)).isTrue();

    Response again = api.post("/tts/request", user.key(), body);

    assertThat(again.status()).as(again.text()).isEqualTo(200);
    assertThat(again.json().path("status").asString()).isEqualTo("queued");
    assertThat(again.json().path("cache_hit").asBoolean()).isFalse();
    String second = again.json().path("request_id").asString();
    JsonNode done = awaitStatus(user.key(), second, "completed");
    assertThat(done.path("audio").path("bytes").asLong()).isPositive();
    assertThat(api.get("/tts/audio/" + second, user.key()).status()).isEqualTo(200);
    assertThat(audioStore.find(contentKey)).isPresent();
    // and the next repeat is a hit again, on the audio stored anew
    JsonNode third = api.post("/tts/request", user.key(), body).json();
    assertThat(third.path("status").asString()).isEqualTo("completed");
    assertThat(third.path("cache_hit").asBoolean()).isTrue();
  }
}
