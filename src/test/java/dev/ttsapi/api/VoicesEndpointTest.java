package dev.ttsapi.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.engine.espeak.EspeakEngine;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code GET /tts/voices}: every installed voice, or those of one language. */
class VoicesEndpointTest extends IntegrationTest {

  private TestUser user;

  @BeforeEach
  void user() {
    user = newUser("listener", Caller.Role.USER);
  }

  @Test
  void lists_the_mary_female_us_voice_with_its_engine_language_gender_and_sample_rate() {
    JsonNode mary =
        voices("/tts/voices").stream()
            .filter(v -> v.path("id").asString().equals("mary:cmu-slt-hsmm"))
            .findFirst()
            .orElseThrow();

    assertThat(mary.path("engine").asString()).isEqualTo("mary");
    assertThat(mary.path("name").asString()).isEqualTo("cmu-slt-hsmm");
    assertThat(mary.path("language").asString()).isEqualTo("en-US");
    assertThat(mary.path("gender").asString()).isEqualTo("female");
    assertThat(mary.path("sample_rate").asInt()).isEqualTo(48000);
  }

  @Test
  void every_voice_is_engine_colon_name_once_with_a_language_gender_and_sample_rate() {
    List<JsonNode> voices = voices("/tts/voices");

    assertThat(voices).isNotEmpty();
    assertThat(voices.stream().map(v -> v.path("id").asString())).doesNotHaveDuplicates();
    for (JsonNode voice : voices) {
      assertThat(voice.path("id").asString())
          .isEqualTo(voice.path("engine").asString() + ":" + voice.path("name").asString());
      assertThat(voice.path("language").asString()).isNotBlank();
      assertThat(voice.path("gender").asString()).isIn("female", "male", "neutral");
      assertThat(voice.path("sample_rate").asInt()).isPositive();
    }
  }

  @Test
  void language_vi_lists_only_vietnamese_voices() {
    assumeEspeak();

    List<JsonNode> voices = voices("/tts/voices?language=vi");

    assertThat(ids(voices)).contains("espeak:vi");
    assertThat(languages(voices)).allMatch(tag -> tag.equals("vi") || tag.startsWith("vi-"));
  }

  @Test
  void language_en_lists_us_and_british_voices_and_only_english_ones() {
    assumeEspeak();

    List<JsonNode> voices = voices("/tts/voices?language=en");

    assertThat(languages(voices)).contains("en-US", "en-GB");
    assertThat(ids(voices)).contains("mary:cmu-slt-hsmm");
    assertThat(languages(voices)).allMatch(tag -> tag.equals("en") || tag.startsWith("en-"));
  }

  @Test
  void language_filter_ignores_case_and_underscores() {
    List<String> canonical = ids(voices("/tts/voices?language=en-US"));

    assertThat(canonical).contains("mary:cmu-slt-hsmm");
    assertThat(ids(voices("/tts/voices?language=EN_us"))).isEqualTo(canonical);
  }

  private List<JsonNode> voices(String path) {
    Response response = api.get(path, user.key());
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    assertThat(response.header("Content-Type")).startsWith("application/json");
    List<JsonNode> voices = new ArrayList<>();
    for (JsonNode voice : response.json().path("voices")) {
      voices.add(voice);
    }
    return voices;
  }

  private static List<String> ids(List<JsonNode> voices) {
    return voices.stream().map(v -> v.path("id").asString()).toList();
  }

  private static List<String> languages(List<JsonNode> voices) {
    return voices.stream().map(v -> v.path("language").asString()).toList();
  }

  private static void assumeEspeak() {
    Assumptions.assumeTrue(
        EspeakEngine.findOnPath().isPresent(), "espeak-ng is not installed (.ci/run installs it)");
  }
}
