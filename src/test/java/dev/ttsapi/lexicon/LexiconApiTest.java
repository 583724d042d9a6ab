package dev.ttsapi.lexicon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code /tts/lexicons} over HTTP against the real PostgreSQL and Redis. */
class LexiconApiTest extends IntegrationTest {

  static final String PLS =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
          alphabet="ipa" xml:lang="vi">
        <lexeme><grapheme>TP.HCM</grapheme><alias>Thành phố Hồ Chí Minh</alias></lexeme>
        <lexeme><grapheme>tomato</grapheme><phoneme>təˈmeɪtoʊ</phoneme></lexeme>
      </lexicon>
      """;

  Response put(String key, String name, String contentType, String body) {
    return api.send(
        HttpRequest.newBuilder(URI.create(api.base() + "/tts/lexicons/" + name))
            .PUT(BodyPublishers.ofString(body))
            .header("Content-Type", contentType)
            .header("Authorization", "Bearer " + key));
  }

  @Test
  void put_get_list_and_delete_keep_versions_per_user() {
    TestUser user = newUser("lex-crud", Caller.Role.USER);
    TestUser other = newUser("lex-other", Caller.Role.USER);

    Response created = put(user.key(), "vi-places", "application/pls+xml", PLS);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().path("version").asInt()).isEqualTo(1);
    assertThat(created.json().path("rule_count").asInt()).isEqualTo(2);
    assertThat(created.json().path("format").asString()).isEqualTo("pls");

    Response replaced =
        put(
            user.key(),
            "vi-places",
            "application/json",
            "[{\"grapheme\": \"HN\", \"alias\": \"Hà Nội\"}]");
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.json().path("version").asInt()).isEqualTo(2);
    assertThat(replaced.header("ETag")).isEqualTo("\"v2\"");

    Response got = api.get("/tts/lexicons/vi-places", user.key());
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.header("Content-Type")).startsWith("application/json");
    assertThat(got.text()).isEqualTo("[{\"grapheme\": \"HN\", \"alias\": \"Hà Nội\"}]");

    JsonNode list = api.get("/tts/lexicons", user.key()).json().path("lexicons");
    assertThat(list.size()).isEqualTo(1);
    assertThat(list.get(0).path("name").asString()).isEqualTo("vi-places");
    assertThat(list.get(0).path("version").asInt()).isEqualTo(2);
    assertThat(list.get(0).path("rule_count").asInt()).isEqualTo(1);
    assertThat(list.get(0).path("updated_at").isMissingNode()).isFalse();
    assertThat(api.get("/tts/lexicons", other.key()).json().path("lexicons").size()).isZero();
    assertThat(api.get("/tts/lexicons/vi-places", other.key()).status()).isEqualTo(404);

    assertThat(api.delete("/tts/lexicons/vi-places", user.key()).status()).isEqualTo(204);
    assertThat(api.get("/tts/lexicons/vi-places", user.key()).status()).isEqualTo(404);
    assertThat(api.delete("/tts/lexicons/vi-places", user.key()).status()).isEqualTo(404);
    // made again under the same name, it does not reuse a version
    Response again = put(user.key(), "vi-places", "application/pls+xml", PLS);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("version").asInt()).isEqualTo(3);
  }

  @Test
  void bad_lexicons_are_400_problems_that_say_what_is_wrong(@TempDir Path dir) throws Exception {
    TestUser user = newUser("lex-bad", Caller.Role.USER);
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET");

    Response badName = put(user.key(), "no%20spaces", "application/json", "[]");
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.json().path("errors").get(0).path("field").asString()).isEqualTo("name");

    Response xxe =
        put(
            user.key(),
            "evil",
            "application/pls+xml",
            "<?xml version=\"1.0\"?><!DOCTYPE lexicon [<!ENTITY x SYSTEM \""
                + secret.toUri()
                + "\">]><lexicon xmlns=\""
                + LexiconParser.PLS_NAMESPACE
                + "\" alphabet=\"ipa\"><lexeme><grapheme>a</grapheme><alias>&x;</alias>"
                + "</lexeme></lexicon>");
    assertThat(xxe.status()).isEqualTo(400);
    assertThat(xxe.header("Content-Type")).startsWith("application/problem+json");
    assertThat(xxe.json().path("detail").asString()).contains("DOCTYPE is not allowed");
    assertThat(xxe.text()).doesNotContain("TOP-SECRET");

    Response typo =
        put(user.key(), "typo", "application/json", "[{\"grapheme\": \"a\", \"alais\": \"b\"}]");
    assertThat(typo.status()).isEqualTo(400);
    assertThat(typo.json().path("detail").asString()).contains("[0].alais is not a field");

    Response malformed = put(user.key(), "broken", "application/pls+xml", "<lexicon><lexeme>");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().path("detail").asString()).contains("line 1, column");

    assertThat(put(user.key(), "text", "text/plain", "a=b").status()).isEqualTo(415);
    assertThat(api.get("/tts/lexicons", user.key()).json().path("lexicons").size()).isZero();
  }

  @Test
  void a_request_naming_an_unknown_lexicon_or_too_many_is_a_400() {
    TestUser user = newUser("lex-unknown", Caller.Role.USER);
    Response unknown =
        api.post(
            "/tts/request",
            user.key(),
            ApiClient.json(Map.of("text", "Hello.", "lexicons", List.of("nowhere"))));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().path("detail").asString()).contains("no lexicon 'nowhere'");
    assertThat(unknown.json().path("errors").get(0).path("field").asString()).isEqualTo("lexicons");

    Response six =
        api.post(
            "/tts/request",
            user.key(),
            ApiClient.json(
                Map.of("text", "Hello.", "lexicons", List.of("a", "b", "c", "d", "e", "f"))));
    assertThat(six.status()).isEqualTo(400);
    assertThat(six.json().path("detail").asString()).contains("at most 5");
    assertThat(jdbc.sql("SELECT count(*) FROM requests").query(Long.class).single()).isZero();
  }
}
