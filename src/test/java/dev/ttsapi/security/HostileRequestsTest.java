package dev.ttsapi.security;

import static dev.ttsapi.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests a hostile client sent that once got a 500, the container's HTML page, a problem without
 * our type, or were accepted though malformed. Each must now be a problem with a stable type and
 * the right 4xx, and change nothing.
 */
class HostileRequestsTest extends IntegrationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void a_language_of_only_separators_is_a_400_not_a_500() {
    TestUser user = newUser("tagger", Caller.Role.USER);
    for (String language : new String[] {"-", "--", "_", "en-", "e", "123", "en--US"}) {
      ApiClient.Response submit =
          api.post(
              "/tts/request",
              user.key(),
              ApiClient.json(
                  Map.of("text", "Hello.", "voice_settings", Map.of("language", language))));
      JsonNode problem = assertProblem(submit, 400, "invalid-request");
      assertThat(problem.path("errors").get(0).path("field").asString())
          .isEqualTo("voice_settings.language");
      ApiClient.Response voices = api.get("/tts/voices?language=" + language, user.key());
      assertProblem(voices, 400, "invalid-request");
    }
    assertThat(api.get("/tts/voices?language=en_us", user.key()).status()).isEqualTo(200);
    assertThat(count("requests")).isZero();
  }

  @Test
  void json_fields_take_only_their_own_type() {
    TestUser user = newUser("typist", Caller.Role.USER);
    for (String body :
        new String[] {
          "{\"text\": 12345}",
          "{\"text\": true}",
          "{\"text\": \"Hi.\", \"voice_settings\": {\"speed\": \"1.5\"}}",
          "{\"text\": \"Hi.\", \"sample_rate\": 16000.5}",
          "{\"text\": \"Hi.\", \"voice_settings\": {\"voice\": 7}}"
        }) {
      assertProblem(api.post("/tts/request", user.key(), body), 400, "malformed-body");
    }
    assertThat(count("requests")).isZero();
    // A whole number where a decimal goes is still a number.
    ApiClient.Response accepted =
        api.post(
            "/tts/request",
            user.key(),
            "{\"text\": \"Hi.\", \"voice_settings\": {\"voice\": \"marker:chunks\", \"speed\": 1,"
                + " \"pitch\": 0}}");
    assertThat(accepted.status()).as(accepted.text()).isEqualTo(200);
  }

  @Test
  void a_form_body_with_a_bad_escape_is_never_parsed() {
    for (String method : new String[] {"DELETE", "PUT", "POST"}) {
      ApiClient.Response answer =
          api.send(
              HttpRequest.newBuilder(URI.create(api.base() + "/tts/request/x"))
                  .method(method, BodyPublishers.ofString("a=%zz"))
                  .header("Content-Type", "application/x-www-form-urlencoded"));
      assertThat(answer.status()).as(method).isIn(401, 405);
      assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    }
    ApiClient.Response health =
        api.send(
            HttpRequest.newBuilder(URI.create(api.base() + "/health"))
                .PUT(BodyPublishers.ofString("a=%zz"))
                .header("Content-Type", "application/x-www-form-urlencoded"));
    assertProblem(health, 405, "method-not-allowed");
  }

  @Test
  void spring_and_container_refusals_are_problems_with_our_types() throws IOException {
    TestUser user = newUser("prober", Caller.Role.USER);
    assertProblem(api.get("/error", null), 404, "not-found");
    assertProblem(api.get("/no/such/thing", user.key()), 404, "not-found");
    assertProblem(api.get("/tts/status/", user.key()), 404, "not-found");
    assertProblem(api.get("/tts/voices", user.key(), "Accept", "image/png"), 406, "not-acceptable");
    assertProblem(
        api.post("/tts/request", user.key(), "hello", "text/plain"), 415, "unsupported-media-type");
    assertProblem(api.delete("/tts/voices", user.key()), 405, "method-not-allowed");
    // Spring took application/* for JSON, then failed reading it: a 500 the fuzz test found
    for (String contentType : new String[] {"application/*", "*/*", "not a type", "json/"}) {
      assertProblem(
          api.post("/tts/request", user.key(), Payloads.submit("Hi.", "wav"), contentType),
          415,
          "unsupported-media-type");
    }
    assertProblem(api.get("/tts/status/a%2Fb", user.key()), 400, "malformed-request");
    assertProblem(
        api.get("/health", null, "X-Padding", "a".repeat(20_000)), 400, "malformed-request");
    for (String requestLine :
        new String[] {
          "GET /health HTTP/1.1 extra",
          "G@T /health HTTP/1.1",
          "GET /\u0001 HTTP/1.1",
          "GET /tts/status/%zz HTTP/1.1",
          "GET /tts/status/%00 HTTP/1.1"
        }) {
      RawAnswer raw = raw(requestLine + "\r\nHost: localhost\r\n\r\n");
      assertThat(raw.head()).as(requestLine).startsWith("HTTP/1.1 400");
      assertThat(raw.head().toLowerCase()).contains("content-type: application/problem+json");
      JsonNode problem = JSON.readTree(raw.body());
      assertThat(problem.path("type").asString()).endsWith("/malformed-request");
      assertThat(raw.body()).doesNotContain("Tomcat").doesNotContain("<html");
    }
  }

  @Test
  void an_unsatisfiable_range_is_a_bodiless_416_and_other_ranges_follow_the_rfc() {
    TestUser user = newUser("ranger", Caller.Role.USER);
    String id =
        api.post("/tts/request", user.key(), Payloads.submit("Ranges of audio.", "mp3"))
            .json()
            .path("request_id")
            .asString();
    awaitStatus(user.key(), id, "completed");
    String path = "/tts/audio/" + id;
    ApiClient.Response whole = api.get(path, user.key());
    int size = whole.body().length;
    assertThat(whole.status()).isEqualTo(200);
    assertThat(whole.header("Content-Length")).isEqualTo(Integer.toString(size));

    for (String unsatisfiable : new String[] {"bytes=" + size + "-", "bytes=5-2", "bytes=abc"}) {
      ApiClient.Response refused = api.get(path, user.key(), "Range", unsatisfiable);
      assertThat(refused.status()).as(unsatisfiable).isEqualTo(416);
      assertThat(refused.body()).as(unsatisfiable).isEmpty();
      assertThat(refused.header("Content-Range")).isEqualTo("bytes */" + size);
      assertThat(refused.header("Cache-Control")).isEqualTo("no-store");
    }

    ApiClient.Response otherUnit = api.get(path, user.key(), "Range", "items=0-1");
    assertThat(otherUnit.status()).isEqualTo(200);
    assertThat(otherUnit.body()).isEqualTo(whole.body());

    ApiClient.Response partly =
        api.get(path, user.key(), "Range", "bytes=0-9," + (size + 10) + "-" + (size + 20));
    assertThat(partly.status()).as(partly.text()).isEqualTo(206);
    assertThat(partly.header("Content-Range")).isEqualTo("bytes 0-9/" + size);
    assertThat(partly.body()).hasSize(10);

    ApiClient.Response two = api.get(path, user.key(), "Range", "bytes=0-1,4-5");
    assertThat(two.status()).isEqualTo(206);
    assertThat(two.header("Content-Range")).isEqualTo("bytes 0-5/" + size);
    assertThat(two.body()).isEqualTo(java.util.Arrays.copyOfRange(whole.body(), 0, 6));

    String etag = whole.header("ETag");
    assertThat(api.get(path, user.key(), "If-None-Match", etag).status()).isEqualTo(304);
    ApiClient.Response staleIfRange =
        api.get(path, user.key(), "Range", "bytes=0-1", "If-Range", "\"other\"");
    assertThat(staleIfRange.status()).isEqualTo(200);
    assertThat(staleIfRange.body()).hasSize(size);
  }

  private long count(String table) {
    return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
  }

  record RawAnswer(String head, String body) {}

  /** Sends bytes no HTTP client library would, and reads the answer until the server closes. */
  private RawAnswer raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int split = answer.indexOf("\r\n\r\n");
      return new RawAnswer(answer.substring(0, split), answer.substring(split + 4));
    }
  }
}
