package dev.ttsapi.lexicon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.OtherNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Lexicons applied end to end: submitted over HTTP, spoken by MaryTTS and espeak-ng on the real
 * stores, the audio telling that the engine got the replaced text.
 */
class LexiconSpeechTest extends IntegrationTest {

  /**
   * A number new to each run: the audio store keeps its files between runs (content-addressed,
   * never overwritten), so audio compared byte for byte must be of text no earlier run spoke.
   */
  static final String RUN = Long.toString(System.nanoTime() % 1_000_000);

  static final String VIETNAMESE = "Tôi sống ở TP.HCM, số " + RUN + ".";
  static final String VIETNAMESE_REPLACED = "Tôi sống ở Thành phố Hồ Chí Minh, số " + RUN + ".";
  static final String LONG_WORD_IPA = "ˌsuːpərˌkælɪfrædʒɪlɪstɪkˌɛkspiːæliˈdoʊʃəs";

  private void lexicon(TestUser user, String name, String json) {
    Response put = api.put("/tts/lexicons/" + name, user.key(), json);
    assertThat(put.status()).as(put.text()).isIn(200, 201);
  }

  private JsonNode submit(TestUser user, String text, String voice, List<String> lexicons) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("text", text);
    body.put("voice_settings", Map.of("voice", voice));
    if (lexicons != null) {
      body.put("lexicons", lexicons);
    }
    Response response = api.post("/tts/request", user.key(), ApiClient.json(body));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json();
  }

  private double spokenSeconds(TestUser user, JsonNode submitted) {
    return awaitStatus(user.key(), submitted.path("request_id").asString(), "completed")
        .path("audio")
        .path("duration_seconds")
        .asDouble();
  }

  private byte[] audio(TestUser user, JsonNode submitted) {
    Response audio = api.get("/tts/audio/" + submitted.path("request_id").asString(), user.key());
    assertThat(audio.status()).isEqualTo(200);
    return audio.body();
  }

  private String column(String column, JsonNode submitted) {
    return jdbc.sql("SELECT " + column + " FROM requests WHERE id = :id")
        .param("id", UUID.fromString(submitted.path("request_id").asString()))
        .query((rs, row) -> rs.getString(1))
        .list()
        .getFirst();
  }

  @Test
  void vietnamese_alias_is_spoken_by_espeak_and_the_submitted_text_is_what_is_billed() {
    TestUser user = newUser("lex-vi", Caller.Role.USER);
    lexicon(user, "vn", "[{\"grapheme\": \"TP.HCM\", \"alias\": \"Thành phố Hồ Chí Minh\"}]");

    JsonNode plain = submit(user, VIETNAMESE, "espeak:vi", null);
    JsonNode replaced = submit(user, VIETNAMESE, "espeak:vi", List.of("vn"));

    assertThat(plain.path("lexicons").isMissingNode()).isTrue();
    assertThat(replaced.path("lexicons").path("applied").asInt()).isEqualTo(1);
    assertThat(replaced.path("lexicons").path("phoneme_rules_dropped").asInt()).isZero();
    assertThat(replaced.path("lexicons").path("versions").get(0).asString()).isEqualTo("vn@1");
    assertThat(column("text", replaced)).isEqualTo(VIETNAMESE);
    assertThat(column("spoken_text", replaced)).isEqualTo(VIETNAMESE_REPLACED);
    assertThat(column("spoken_text", plain)).isNull();
    // espeak-ng is deterministic: the engine got the replaced text if its audio is, byte for
    // byte, the audio of that text submitted as it is (and not the audio of the original)
    JsonNode direct = submit(user, VIETNAMESE_REPLACED, "espeak:vi", null);
    spokenSeconds(user, plain);
    spokenSeconds(user, replaced);
    spokenSeconds(user, direct);
    byte[] replacedAudio = audio(user, replaced);
    assertThat(replacedAudio).isEqualTo(audio(user, direct)).isNotEqualTo(audio(user, plain));
    // the daily usage counts the submitted text twice, not the longer spoken one
    assertThat(
            jdbc.sql("SELECT characters FROM usage_daily WHERE user_id = :user")
                .param("user", user.caller().userId())
                .query(Long.class)
                .single())
        .isEqualTo(2L * VIETNAMESE.length() + VIETNAMESE_REPLACED.length());
  }

  @Test
  void a_changed_lexicon_never_serves_the_audio_of_its_old_version() {
    TestUser user = newUser("lex-cache", Caller.Role.USER);
    lexicon(user, "vn", "[{\"grapheme\": \"TP.HCM\", \"alias\": \"Thành phố Hồ Chí Minh\"}]");
    JsonNode first = submit(user, VIETNAMESE, "espeak:vi", List.of("vn"));
    double firstSeconds = spokenSeconds(user, first);
    JsonNode repeat = submit(user, VIETNAMESE, "espeak:vi", List.of("vn"));
    assertThat(repeat.path("cache_hit").asBoolean()).as("same text, same lexicon").isTrue();

    lexicon(user, "vn", "[{\"grapheme\": \"TP.HCM\", \"alias\": \"Sài Gòn\"}]");
    JsonNode changed = submit(user, VIETNAMESE, "espeak:vi", List.of("vn"));

    assertThat(changed.path("cache_hit").asBoolean()).isFalse();
    assertThat(changed.path("lexicons").path("versions").get(0).asString()).isEqualTo("vn@2");
    assertThat(column("content_key", changed)).isNotEqualTo(column("content_key", first));
    assertThat(column("spoken_text", changed)).isEqualTo("Tôi sống ở Sài Gòn, số " + RUN + ".");
    double changedSeconds = spokenSeconds(user, changed);
    assertThat(changedSeconds).isLessThan(firstSeconds - 0.3);
    assertThat(audio(user, changed)).isNotEqualTo(audio(user, first));
  }

  @Test
  void phoneme_rules_are_spoken_by_mary_and_espeak_and_reported_dropped_elsewhere() {
    TestUser user = newUser("lex-phonemes", Caller.Role.USER);
    lexicon(
        user,
        "en",
        "[{\"grapheme\": \"bob\", \"phoneme\": \""
            + LONG_WORD_IPA
            + "\"}, {\"grapheme\": \"count\", \"alias\": \"37\"}]");

    for (String voice : List.of("mary:cmu-slt-hsmm", "espeak:en-us")) {
      JsonNode plain = submit(user, "I said bob.", voice, null);
      JsonNode spoken = submit(user, "I said bob.", voice, List.of("en"));
      assertThat(spoken.path("lexicons").path("applied").asInt()).as(voice).isEqualTo(1);
      assertThat(spoken.path("lexicons").path("phoneme_rules_dropped").asInt()).isZero();
      // fourteen syllables instead of one
      assertThat(spokenSeconds(user, spoken))
          .as(voice)
          .isGreaterThan(spokenSeconds(user, plain) + 1.0);
    }

    // The marker engine takes words only, and its tone is 10 samples per unit of the first number
    // in its text: 37 from the alias, or 1 when it got no number.
    JsonNode marker = submit(user, "count bob", "marker:chunks", List.of("en"));
    assertThat(marker.path("lexicons").path("applied").asInt()).isEqualTo(1);
    assertThat(marker.path("lexicons").path("phoneme_rules_dropped").asInt()).isEqualTo(1);
    assertThat(column("spoken_text", marker)).isEqualTo("37 bob");
    assertThat(spokenSeconds(user, marker)).isEqualTo(0.024); // (370 + 20) samples at 16 kHz
  }

  @Test
  void batches_take_lexicons_for_the_batch_and_per_item() {
    TestUser user = newUser("lex-batch", Caller.Role.USER);
    lexicon(user, "en", "[{\"grapheme\": \"count\", \"alias\": \"37\"}]");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("voice_settings", Map.of("voice", "marker:chunks"));
    body.put("lexicons", List.of("en"));
    body.put(
        "items",
        List.of(Map.of("text", "count one"), Map.of("text", "count two", "lexicons", List.of())));
    Response created = api.post("/tts/batches", user.key(), ApiClient.json(body));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    JsonNode items = created.json().path("items");
    assertThat(column("spoken_text", items.get(0))).isEqualTo("37 one");
    assertThat(column("spoken_text", items.get(1))).isNull();

    body.put(
        "items", List.of(Map.of("text", "a"), Map.of("text", "b", "lexicons", List.of("none"))));
    Response refused = api.post("/tts/batches", user.key(), ApiClient.json(body));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().path("errors").get(0).path("field").asString())
        .isEqualTo("items[1].lexicons");
  }

  @Test
  void openai_speech_applies_lexicons_too() {
    TestUser user = newUser("lex-openai", Caller.Role.USER);
    lexicon(user, "en", "[{\"grapheme\": \"bob\", \"phoneme\": \"" + LONG_WORD_IPA + "\"}]");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", "tts-1");
    body.put("input", "I said bob.");
    body.put("voice", "alloy");
    body.put("response_format", "pcm");
    Response plain = api.post("/v1/audio/speech", user.key(), ApiClient.json(body));
    body.put("lexicons", List.of("en"));
    Response spoken = api.post("/v1/audio/speech", user.key(), ApiClient.json(body));

    assertThat(spoken.status()).isEqualTo(200);
    assertThat(spoken.header("X-Lexicons-Applied")).isEqualTo("1");
    assertThat(spoken.header("X-Lexicons-Phoneme-Rules-Dropped")).isEqualTo("0");
    assertThat(plain.header("X-Lexicons-Applied")).isNull();
    assertThat(spoken.body().length).isGreaterThan(plain.body().length * 3 / 2);

    body.put("lexicons", List.of("missing"));
    Response missing = api.post("/v1/audio/speech", user.key(), ApiClient.json(body));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().path("param").asString()).isEqualTo("lexicons");
  }

  @Test
  void a_change_made_on_one_node_applies_to_the_next_request_on_another() {
    TestUser user = newUser("lex-nodes", Caller.Role.USER);
    lexicon(user, "vn", "[{\"grapheme\": \"TP.HCM\", \"alias\": \"Thành phố Hồ Chí Minh\"}]");
    try (ConfigurableApplicationContext node = OtherNode.startApiNode()) {
      ApiClient other = OtherNode.client(node);
      String body =
          ApiClient.json(
              Map.of(
                  "text",
                  VIETNAMESE,
                  "voice_settings",
                  Map.of("voice", "espeak:vi"),
                  "lexicons",
                  List.of("vn")));
      // the other node reads version 1 and keeps it in its memory
      assertThat(
              other
                  .post("/tts/request", user.key(), body)
                  .json()
                  .path("lexicons")
                  .path("versions")
                  .get(0)
                  .asString())
          .isEqualTo("vn@1");

      lexicon(user, "vn", "[{\"grapheme\": \"TP.HCM\", \"alias\": \"Sài Gòn\"}]");

      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  other
                      .post("/tts/request", user.key(), body)
                      .json()
                      .path("lexicons")
                      .path("versions")
                      .get(0)
                      .asString()
                      .equals("vn@2"));
    }
  }
}
