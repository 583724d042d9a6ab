package dev.ttsapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile input bounces off before any work with a 4xx problem, and odd but valid Unicode goes
 * through: never a 500, never a NUL or lone surrogate in PostgreSQL.
 */
class HostileInputTest extends IntegrationTest {

  private static final String PROBLEMS = "https://tts-api.dev/problems/";

  private TestUser user;

  @BeforeEach
  void user() {
    user = newUser("hostile-user", Caller.Role.USER);
    worker().stop();
  }

  @Test
  void a_body_over_64_KiB_is_a_413_problem_and_stores_nothing() {
    // /v1/audio/speech takes short inputs: the usual body limit holds there
    String body =
        "{\"model\":\"tts-1\",\"voice\":\"alloy\",\"input\":\"" + "a".repeat(70_000) + "\"}";

    Response response = api.post("/v1/audio/speech", user.key(), body);

    assertThat(response.status()).isEqualTo(413);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.json().path("type").asString()).isEqualTo(PROBLEMS + "payload-too-large");
    assertThat(response.json().path("max_body_bytes").asLong()).isEqualTo(64 * 1024);
    assertNothingStored();
  }

  @Test
  void a_submission_past_the_document_body_limit_is_a_413_problem_and_stores_nothing() {
    // POST /tts/request takes one long document: up to tts.input.max-document-body-size (2 MB)
    String body = "{\"text\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}";

    Response response = api.post("/tts/request", user.key(), body);

    assertThat(response.status()).isEqualTo(413);
    assertThat(response.json().path("type").asString()).isEqualTo(PROBLEMS + "payload-too-large");
    assertThat(response.json().path("max_body_bytes").asLong()).isEqualTo(2 * 1024 * 1024);
    assertNothingStored();
  }

  @Test
  void a_chunked_body_over_the_limit_is_a_413_too() {
    byte[] body =
        ("{\"text\":\"" + "b".repeat(2 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api.base() + "/tts/request"))
            .header("Authorization", "Bearer " + user.key())
            .header("Content-Type", "application/json")
            // an unknown length makes the client send the body chunked
            .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

    Response response = api.send(request);

    assertThat(response.status()).isEqualTo(413);
    assertNothingStored();
  }

  @Test
  void a_100k_character_single_word_over_the_text_limit_is_a_400_naming_the_limit() {
    // IntegrationTest sets tts.request.max-text-length to 5,000: past it, refused whole
    Response response = submit("x".repeat(100_000));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().path("max_characters").asInt()).isEqualTo(5000);
    assertThat(response.json().path("detail").asString()).contains("100000").contains("5000");
    assertNothingStored();
  }

  @Test
  void a_long_single_word_within_the_limits_is_accepted() {
    Response response = submit("y".repeat(4_000));

    assertThat(response.status()).as(response.text()).isEqualTo(200);
  }

  @Test
  void json_nested_deeper_than_the_limit_is_a_400_problem() {
    String deep = "[".repeat(40) + "]".repeat(40);
    String body = "{\"text\":\"hello\",\"voice_settings\":{\"extra\":" + deep + "}}";

    Response response = api.post("/tts/request", user.key(), body);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().path("type").asString()).isEqualTo(PROBLEMS + "malformed-body");
    assertNothingStored();
  }

  @Test
  void json_nested_a_little_is_fine() {
    String body =
        "{\"text\":\"hello\",\"voice_settings\":{\"extra\":" + "[".repeat(5) + "]".repeat(5) + "}}";

    assertThat(api.post("/tts/request", user.key(), body).status()).isEqualTo(200);
  }

  @Test
  void headers_over_the_limit_are_refused_before_the_application() {
    Response response = api.get("/tts/voices", user.key(), "X-Padding", "p".repeat(20 * 1024));

    assertThat(response.status()).isIn(400, 431);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "مرحبا بالعالم، هذا نص من اليمين إلى اليسار, in an English sentence",
        "שלום עולם mixed with English and 123",
        "Emoji 🎉🔊 and flags 🇻🇳 and families 👩‍👩‍👧",
        "Combining: e\u0301 a\u0300\u0323 Z\u0351\u0337\u0336\u0335 q\u0307\u0323",
        "Mixed scripts: Tiếng Việt, русский, 日本語, ελληνικά, हिन्दी",
        "Controls \u0001\u0002\u0007\u001b[31m red \u007f and DEL",
        "NUL in the middle \u0000 of a sentence",
        "Bidi overrides \u202e reversed \u202c and isolates \u2066x\u2069",
        "Noncharacters \ufffe \uffff and replacement \ufffd",
      })
  void odd_but_valid_unicode_is_accepted_and_stored_clean(String text) {
    Response response = submit(text);

    assertThat(response.status()).as(response.text()).isEqualTo(200);
    assertStoredTextIsClean();
  }

  @Test
  void a_lone_surrogate_escape_in_the_text_is_dropped_not_stored() {
    String body = "{\"text\":\"half a pair \\ud800 here and \\udfff there\"}";

    Response response = api.post("/tts/request", user.key(), body);

    assertThat(response.status()).as(response.text()).isEqualTo(200);
    assertStoredTextIsClean();
    assertThat(storedTexts()).containsExactly("half a pair here and there");
  }

  @Test
  void text_of_only_a_lone_surrogate_and_controls_is_a_400() {
    Response response =
        api.post("/tts/request", user.key(), "{\"text\":\"\\ud800\\u0000\\u0007\"}");

    assertThat(response.status()).isEqualTo(400);
    assertNothingStored();
  }

  @ParameterizedTest
  @ValueSource(strings = {"mary:cmu\\u0000slt", "\\ud800", "en-US\\u0001", "\\udc00voice"})
  void a_voice_with_a_nul_control_or_lone_surrogate_is_a_400(String voice) {
    String body = "{\"text\":\"hello\",\"voice_settings\":{\"voice\":\"" + voice + "\"}}";

    Response response = api.post("/tts/request", user.key(), body);

    assertThat(response.status()).as(response.text()).isEqualTo(400);
    assertNothingStored();
  }

  @Test
  void a_user_id_with_a_nul_is_a_400_not_a_database_error() {
    String body = "{\"text\":\"hello\",\"user_id\":\"someone\\u0000else\"}";

    Response response = api.post("/tts/request", user.key(), body);

    assertThat(response.status()).isEqualTo(400);
    assertNothingStored();
  }

  @Test
  void an_overlong_language_is_a_400() {
    Response response =
        api.post(
            "/tts/request",
            user.key(),
            ApiClient.json(
                Map.of("text", "hello", "voice_settings", Map.of("language", "x".repeat(500)))));

    assertThat(response.status()).isEqualTo(400);
  }

  @Test
  void invalid_utf8_bytes_are_not_a_500() {
    byte[] prefix = "{\"text\":\"bad ".getBytes(StandardCharsets.UTF_8);
    byte[] bad = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xED, (byte) 0xA0, (byte) 0x80};
    byte[] suffix = " bytes\"}".getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[prefix.length + bad.length + suffix.length];
    System.arraycopy(prefix, 0, body, 0, prefix.length);
    System.arraycopy(bad, 0, body, prefix.length, bad.length);
    System.arraycopy(suffix, 0, body, prefix.length + bad.length, suffix.length);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api.base() + "/tts/request"))
            .header("Authorization", "Bearer " + user.key())
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofByteArray(body));

    Response response = api.send(request);

    assertThat(response.status()).isLessThan(500);
    assertStoredTextIsClean();
  }

  private Response submit(String text) {
    return api.post("/tts/request", user.key(), ApiClient.json(Map.of("text", text)));
  }

  private List<String> storedTexts() {
    return jdbc.sql("SELECT text FROM requests").query(String.class).list();
  }

  private void assertStoredTextIsClean() {
    for (String text : storedTexts()) {
      assertThat(text).doesNotContain("\u0000");
      assertThat(text.chars().filter(c -> Character.isSurrogate((char) c)).count())
          .as("surrogates in %s", text)
          .isEqualTo(text.codePoints().filter(Character::isSupplementaryCodePoint).count() * 2);
      assertThat(text.chars().filter(c -> Character.getType(c) == Character.CONTROL && c != '\n'))
          .isEmpty();
    }
  }

  private void assertNothingStored() {
    assertThat(jdbc.sql("SELECT count(*) FROM requests").query(Long.class).single()).isZero();
    assertThat(jdbc.sql("SELECT count(*) FROM logs").query(Long.class).single()).isZero();
  }
}
