package dev.ttsapi.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.cache.MultiLevelCaches;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.OtherNode;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.Problems;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A node without the worker role loads no engine: it lists and resolves voices from the catalog the
 * workers (here: the test's own context) published, through its memory, Redis and PostgreSQL.
 */
class ApiOnlyVoicesTest extends IntegrationTest {

  private static ConfigurableApplicationContext apiOnly;

  @Autowired private VoiceDirectory directory;
  @Autowired private MultiLevelCaches caches;

  private static ConfigurableApplicationContext apiOnly() {
    if (apiOnly == null) {
      apiOnly = OtherNode.startApiNode();
    }
    return apiOnly;
  }

  @AfterAll
  static void stopApiOnly() {
    if (apiOnly != null) {
      apiOnly.close();
    }
  }

  @Test
  void an_api_only_node_has_no_engine_and_resolves_voices_as_a_worker_node_does() {
    TestUser user = newUser("api-only-voices", Caller.Role.USER);
    assertThat(apiOnly().getBeansOfType(SpeechEngine.class)).as("no MaryTTS, no engine").isEmpty();
    ApiClient other = OtherNode.client(apiOnly());

    JsonNode here = api.get("/tts/voices", user.key()).json();
    assertThat(here.path("voices").size()).isPositive();
    assertThat(other.get("/tts/voices", user.key()).json()).isEqualTo(here);
    assertThat(other.get("/tts/voices?language=en-US", user.key()).json())
        .isEqualTo(api.get("/tts/voices?language=en-US", user.key()).json());

    String body = Payloads.submit("Resolved where no engine is loaded.", "wav");
    JsonNode accepted =
        other
            .post("/tts/request", user.key(), body.replace("mary:cmu-slt-hsmm", "en-US-Wavenet-F"))
            .json();
    assertThat(accepted.path("voice").asString()).isEqualTo("mary:cmu-slt-hsmm");
    awaitStatus(user.key(), accepted.path("request_id").asString(), "completed");

    // The node with the engine makes the same content key (same engine version): a cache hit.
    assertThat(api.post("/tts/request", user.key(), body).json().path("cache_hit").asBoolean())
        .isTrue();
    assertThat(
            other
                .post("/tts/request", user.key(), body.replace("mary:cmu-slt-hsmm", "nobody:x"))
                .status())
        .isEqualTo(400);
    // The scripts a voice reads travel with the catalog: Chinese for MaryTTS is refused here too.
    Problems.assertProblem(
        other.post("/tts/request", user.key(), Payloads.submit("你好，世界。", "wav")),
        400,
        "nothing-to-speak");
  }

  @Test
  void an_engine_published_by_a_worker_reaches_an_api_only_node_within_a_second() {
    TestUser user = newUser("api-only-new-engine", Caller.Role.USER);
    ApiClient other = OtherNode.client(apiOnly());
    assertThat(other.get("/tts/voices?language=qaa", user.key()).json().path("voices").size())
        .isZero(); // and the node now keeps the catalog in memory

    directory.publish(
        List.of(
            new EngineVoices(
                "made-up",
                "1",
                List.of(Voice.of("made-up", "speaker", "qaa", Gender.MALE, 16000)))),
        "another-worker");
    try {
      await()
          .atMost(Duration.ofSeconds(1))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  other
                      .get("/tts/voices?language=qaa", user.key())
                      .json()
                      .path("voices")
                      .path(0)
                      .path("id")
                      .asString()
                      .equals("made-up:speaker"));
    } finally {
      jdbc.sql("DELETE FROM engine_catalog WHERE engine = 'made-up'").update();
      directory.forgetPublished();
    }
  }

  /**
   * Before any worker has published, an API-only node cannot tell a good voice from a bad one: it
   * answers 503 with Retry-After and accepts nothing. A publication however old still counts: with
   * every worker down, requests are accepted and wait in the queue.
   */
  @Test
  void an_api_only_node_waits_for_a_first_publication_and_keeps_an_old_one() {
    TestUser user = newUser("api-only-unpublished", Caller.Role.USER);
    ApiClient other = OtherNode.client(apiOnly());
    String body = Payloads.submit("Is anybody there?", "wav");
    jdbc.sql("DELETE FROM engine_catalog").update();
    directory.forgetPublished();
    try {
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> other.post("/tts/request", user.key(), body).status() == 503);
      ApiClient.Response refused = other.post("/tts/request", user.key(), body);
      assertThat(refused.header("Retry-After")).isEqualTo("5");
      assertThat(refused.json().path("detail").asString())
          .contains("No worker has published its voices yet");
      assertThat(
              jdbc.sql("SELECT count(*) FROM requests WHERE user_id = ?")
                  .param(user.caller().userId())
                  .query(Long.class)
                  .single())
          .as("nothing accepted while refusing")
          .isZero();

      // Published days ago, and no worker since: still the voices requests are for.
      directory.publish("a-worker-long-gone");
      jdbc.sql("UPDATE engine_catalog SET published_at = now() - interval '3 days'").update();
      directory.forgetPublished();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> other.post("/tts/request", user.key(), body).status() == 200);
    } finally {
      directory.publish("test-node");
      directory.forgetPublished();
    }
  }

  @Test
  void the_published_catalog_survives_its_trip_through_redis() {
    String name = "catalog-json-" + java.util.UUID.randomUUID();
    VoiceDirectory.Published published =
        new VoiceDirectory.Published(directory.current().describe());
    caches
        .create(
            name,
            VoiceDirectory.Published.class,
            MultiLevelCaches.Absent.NOT_REMEMBERED,
            key -> java.util.Optional.of(published))
        .get("k");
    // Another node: nothing in its memory, and no database to fall back on.
    var elsewhere =
        caches.create(
            name,
            VoiceDirectory.Published.class,
            MultiLevelCaches.Absent.NOT_REMEMBERED,
            key -> {
              throw new AssertionError("read from the database, not from Redis");
            });
    assertThat(elsewhere.get("k")).contains(published);
  }
}
