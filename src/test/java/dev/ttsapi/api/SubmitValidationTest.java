package dev.ttsapi.api;

import static dev.ttsapi.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * A submission the service cannot take answers a 4xx RFC 9457 problem, and leaves nothing behind:
 * no row, no event, no queue entry, no status hash.
 */
class SubmitValidationTest extends IntegrationTest {

  private static final String PROBLEMS = "https://tts-api.dev/problems/";
  private static final String VOICE = "mary:cmu-slt-hsmm";

  private TestUser user;

  @BeforeEach
  void user() {
    user = newUser("validation-user", Caller.Role.USER);
  }

  @Test
  void empty_text_is_a_400_problem_and_stores_nothing() {
    Response response = submit(body(""));

    JsonNode problem = assertProblem(response, 400, "invalid-request");
    assertThat(fieldErrors(problem)).containsKey("text");
    assertNothingStored();
  }

  @Test
  void whitespace_only_text_is_a_400_problem_and_stores_nothing() {
    Response response = submit(body("  \t\n \u00A0 \r\n  "));

    JsonNode problem = assertProblem(response, 400, "invalid-request");
    assertThat(fieldErrors(problem)).containsKey("text");
    assertNothingStored();
  }

  @Test
  void missing_text_is_a_400_problem_and_stores_nothing() {
    Response response = submit(ApiClient.json(Map.of("voice_settings", Map.of("voice", VOICE))));

    JsonNode problem = assertProblem(response, 400, "invalid-request");
    assertThat(fieldErrors(problem)).containsEntry("text", "is required");
    assertNothingStored();
  }

  @Test
  void text_over_5000_characters_is_a_400_problem_naming_the_limit_and_stores_nothing() {
    Response response = submit(body("a".repeat(5001)));

    JsonNode problem = assertProblem(response, 400, "invalid-request");
    assertThat(fieldErrors(problem)).containsKey("text");
    assertThat(fieldErrors(problem).get("text")).contains("5001").contains("5000");
    assertNothingStored();
  }

  @Test
  void text_of_exactly_5000_characters_is_accepted() {
    worker().stop();
    try {
      Response response = submit(body("a".repeat(5000)));

      assertThat(response.status()).as(response.text()).isEqualTo(200);
      assertThat(response.json().path("status").asString()).isEqualTo("queued");
      assertThat(jdbc.sql("SELECT text_length FROM requests").query(Integer.class).single())
          .isEqualTo(5000);
      assertThat(queue.depths()).containsEntry(Priority.NORMAL, 1L);
      // Withdrawn so the restarted worker does not spend its time speaking 5,000 letters.
      assertThat(
              api.delete(
                      "/tts/request/" + response.json().path("request_id").asString(), user.key())
                  .status())
          .isEqualTo(200);
    } finally {
      worker().start();
    }
  }

  @Test
  void the_limit_counts_characters_not_utf16_units() {
    // 5,000 characters, all but one outside the BMP, are 9,999 UTF-16 units: still within the
    // limit. (A word among them: emoji alone are refused as nothing to speak.)
    String text = "a" + "\uD83D\uDE00".repeat(4999);
    worker().stop();
    try {
      Response response = submit(body(text));

      assertThat(response.status()).as(response.text()).isEqualTo(200);
      assertThat(
              api.delete(
                      "/tts/request/" + response.json().path("request_id").asString(), user.key())
                  .status())
          .isEqualTo(200);
    } finally {
      worker().start();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"nosuch:voice", "mary:nosuch-voice", "Bob"})
  void unknown_voice_is_a_400_problem_listing_installed_voices_engines_and_languages(String voice) {
    Response response = submit(body("Hello.", Map.of("voice", voice)));

    JsonNode problem = assertProblem(response, 400, "unknown-voice");
    assertThat(problem.path("voice").asString()).isEqualTo(voice);
    assertThat(texts(problem.path("available_voices"))).contains(VOICE);
    assertThat(texts(problem.path("available_engines"))).contains("mary");
    assertThat(texts(problem.path("available_languages"))).contains("en-US");
    assertNothingStored();
  }

  @Test
  void voice_of_an_engine_that_is_not_installed_says_so_and_names_the_installed_engines() {
    Response response = submit(body("Hello.", Map.of("voice", "nosuch:voice")));

    JsonNode problem = assertProblem(response, 400, "unknown-voice");
    assertThat(problem.path("detail").asString())
        .contains("engine 'nosuch' is not installed")
        .contains("mary");
    assertNothingStored();
  }

  @Test
  void unknown_voice_of_an_installed_engine_names_that_engines_voices() {
    Response response = submit(body("Hello.", Map.of("voice", "mary:nosuch-voice")));

    JsonNode problem = assertProblem(response, 400, "unknown-voice");
    assertThat(problem.path("detail").asString()).contains("nosuch-voice").contains(VOICE);
    assertNothingStored();
  }

  @Test
  void unknown_language_is_a_400_problem_listing_available_languages() {
    Response response = submit(body("Hello.", Map.of("language", "xx-XX")));

    JsonNode problem = assertProblem(response, 400, "unknown-language");
    assertThat(problem.path("language").asString()).isEqualTo("xx-XX");
    assertThat(texts(problem.path("available_languages")))
        .contains("en-US")
        .doesNotContain("xx-XX");
    assertNothingStored();
  }

  @Test
  void unknown_format_is_a_400_problem_listing_the_formats() {
    Response response = submit(body("Hello.", Map.of("voice", VOICE), "format", "flac"));

    JsonNode problem = assertProblem(response, 400, "invalid-request");
    assertThat(fieldErrors(problem)).containsOnlyKeys("format");
    assertThat(fieldErrors(problem).get("format")).contains("wav").contains("mp3");
    assertNothingStored();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 11025, 96000})
  void sample_rate_not_offered_is_a_400_problem_listing_the_rates(int rate) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("text", "Hello.");
    fields.put("voice_settings", Map.of("voice", VOICE));
    fields.put("sample_rate", rate);
    Response response = submit(ApiClient.json(fields));

    JsonNode problem = assertProblem(response, 400, "invalid-request");
    assertThat(fieldErrors(problem)).containsOnlyKeys("sample_rate");
    assertThat(fieldErrors(problem).get("sample_rate")).contains("16000").contains("48000");
    assertNothingStored();
  }

  @Test
  void unknown_priority_is_a_400_problem_listing_the_priorities() {
    Response response = submit(body("Hello.", Map.of("voice", VOICE), "priority", "urgent"));

    JsonNode problem = assertProblem(response, 400, "invalid-request");
    assertThat(fieldErrors(problem)).containsOnlyKeys("priority");
    assertThat(fieldErrors(problem).get("priority"))
        .contains("high")
        .contains("normal")
        .contains("low");
    assertNothingStored();
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.1, 5.0, 0.0, -1.0})
  void speed_out_of_range_is_a_400_problem_on_voice_settings_speed(double speed) {
    Response response = submit(body("Hello.", Map.of("voice", VOICE, "speed", speed)));

    JsonNode problem = assertProblem(response, 400, "invalid-request");
    assertThat(fieldErrors(problem)).containsOnlyKeys("voice_settings.speed");
    assertNothingStored();
  }

  @ParameterizedTest
  @ValueSource(doubles = {-25.0, 25.0})
  void pitch_out_of_range_is_a_400_problem_on_voice_settings_pitch(double pitch) {
    Response response = submit(body("Hello.", Map.of("voice", VOICE, "pitch", pitch)));

    JsonNode problem = assertProblem(response, 400, "invalid-request");
    assertThat(fieldErrors(problem)).containsOnlyKeys("voice_settings.pitch");
    assertNothingStored();
  }

  @Test
  void every_invalid_field_is_listed_in_one_problem() {
    Response response =
        submit(
            body(
                "",
                Map.of("voice", VOICE, "speed", 5.0, "pitch", 25.0),
                "format",
                "flac",
                "priority",
                "urgent"));

    JsonNode problem = assertProblem(response, 400, "invalid-request");
    assertThat(fieldErrors(problem))
        .containsOnlyKeys(
            "text", "voice_settings.speed", "voice_settings.pitch", "format", "priority");
    assertNothingStored();
  }

  @Test
  void malformed_json_is_a_400_problem_and_stores_nothing() {
    Response response = submit("{\"text\": \"Hello.\", \"voice_settings\": {");

    assertProblem(response, 400, "malformed-body");
    assertNothingStored();
  }

  @Test
  void json_of_the_wrong_shape_is_a_400_problem_and_stores_nothing() {
    Response response =
        submit(
            "{\"text\": \"Hello.\", \"voice_settings\": {\"voice\": \""
                + VOICE
                + "\", \"speed\": \"fast\"}}");

    assertProblem(response, 400, "malformed-body");
    assertNothingStored();
  }

  @Test
  void empty_body_is_a_400_problem_and_stores_nothing() {
    Response response = submit("");

    assertProblem(response, 400, "malformed-body");
    assertNothingStored();
  }

  @Test
  void plain_text_body_is_a_415_problem_and_stores_nothing() {
    Response response = api.post("/tts/request", user.key(), "Hello.", "text/plain");

    assertProblem(response, 415, "unsupported-media-type");
    assertNothingStored();
  }

  @Test
  void json_body_sent_as_plain_text_is_a_415_problem_and_stores_nothing() {
    Response response = api.post("/tts/request", user.key(), body("Hello."), "text/plain");

    assertProblem(response, 415, "unsupported-media-type");
    assertNothingStored();
  }

  private Response submit(String json) {
    return api.post("/tts/request", user.key(), json);
  }

  private static String body(String text) {
    return body(text, Map.of("voice", VOICE));
  }

  /** A submission; {@code more} are further top-level fields, name then value. */
  private static String body(String text, Map<String, Object> voiceSettings, String... more) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("text", text);
    body.put("voice_settings", voiceSettings);
    for (int i = 0; i + 1 < more.length; i += 2) {
      body.put(more[i], more[i + 1]);
    }
    return ApiClient.json(body);
  }

  private void assertNothingStored() {
    assertThat(jdbc.sql("SELECT count(*) FROM requests").query(Long.class).single()).isZero();
    assertThat(jdbc.sql("SELECT count(*) FROM logs").query(Long.class).single()).isZero();
    assertThat(queue.depths().values()).allMatch(depth -> depth == 0);
    assertThat(redis.sync().keys("tts_status:*")).isEmpty();
  }

  /** The problem's {@code errors}, field to message; each error must have both. */
  private static Map<String, String> fieldErrors(JsonNode problem) {
    assertThat(problem.path("errors").isArray()).as(problem.toString()).isTrue();
    Map<String, String> errors = new LinkedHashMap<>();
    for (JsonNode error : problem.path("errors")) {
      assertThat(error.path("field").asString()).isNotBlank();
      assertThat(error.path("message").asString()).isNotBlank();
      errors.put(error.path("field").asString(), error.path("message").asString());
    }
    return errors;
  }

  private static List<String> texts(JsonNode array) {
    assertThat(array.isArray()).as(String.valueOf(array)).isTrue();
    List<String> texts = new ArrayList<>();
    for (JsonNode item : array) {
      texts.add(item.asString());
    }
    return texts;
  }
}
