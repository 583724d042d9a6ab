package dev.ttsapi.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * An ordinary key against every admin path spelled every way a hostile client tried: percent
 * escapes of letters ({@code /%61dmin}), path parameters ({@code ;x=1}), a doubled slash, upper
 * case, a trailing slash. Each either reaches the admin handler and is refused there (403), or
 * reaches no handler (404, 405, or the container's 400): never the handler's work. Before the check
 * moved to the matched handler, {@code POST /%61dmin/users} made an admin.
 */
class PathSpellingTest extends IntegrationTest {

  record Call(String method, String path, String body) {}

  @Test
  void an_ordinary_key_creates_no_admin_through_an_encoded_path() {
    TestUser user = newUser("mallory", Caller.Role.USER);

    ApiClient.Response created =
        send("POST", "/%61dmin/users", "{\"name\":\"evil\",\"role\":\"admin\"}", user.key());

    assertThat(created.status()).isEqualTo(403);
    assertThat(users.findUser("evil")).isEmpty();
  }

  @Test
  void every_spelling_of_every_admin_path_is_refused_to_an_ordinary_key() {
    TestUser user = newUser("mallory", Caller.Role.USER);
    TestUser other = newUser("victim", Caller.Role.USER);
    String self = user.caller().userId().toString();
    String otherKeyId =
        jdbc.sql("SELECT id FROM api_keys WHERE user_id = :u")
            .param("u", other.caller().userId())
            .query(String.class)
            .single();
    List<Call> calls =
        List.of(
            new Call("POST", "/admin/users", "{\"name\":\"evil\",\"role\":\"admin\"}"),
            new Call("POST", "/admin/users/" + self + "/keys", ""),
            new Call("GET", "/admin/users/" + self + "/limits", ""),
            new Call(
                "PUT",
                "/admin/users/" + self + "/limits",
                "{\"requests_per_minute\":100000,\"characters_per_day\":100000000}"),
            new Call("DELETE", "/admin/keys/" + otherKeyId, ""),
            new Call("GET", "/admin/usage", ""),
            new Call("POST", "/admin/profile?seconds=1", ""),
            new Call("GET", "/admin/console/overview", ""),
            new Call("GET", "/health/detailed", ""));

    for (Call call : calls) {
      for (String path : spellings(call.path())) {
        ApiClient.Response answer = send(call.method(), path, call.body(), user.key());
        assertThat(answer.status()).as("%s %s", call.method(), path).isIn(400, 403, 404, 405);
        assertThat(answer.header("Content-Type"))
            .as("%s %s", call.method(), path)
            .startsWith("application/problem+json");
      }
    }

    assertThat(users.findUser("evil")).isEmpty();
    assertThat(
            jdbc.sql("SELECT count(*) FROM api_keys WHERE user_id = :u")
                .param("u", user.caller().userId())
                .query(Long.class)
                .single())
        .isEqualTo(1);
    assertThat(
            jdbc.sql("SELECT revoked_at IS NULL FROM api_keys WHERE id = CAST(:id AS uuid)")
                .param("id", otherKeyId)
                .query(Boolean.class)
                .single())
        .isTrue();
    assertThat(jdbc.sql("SELECT count(*) FROM user_limits").query(Long.class).single()).isZero();
  }

  /** The path as given and spelled in each of the ways that once slipped past a URI check. */
  static List<String> spellings(String path) {
    String query = path.contains("?") ? path.substring(path.indexOf('?')) : "";
    String bare = query.isEmpty() ? path : path.substring(0, path.indexOf('?'));
    List<String> out = new ArrayList<>();
    out.add(bare);
    out.add(bare.replaceFirst("a", "%61")); // /%61dmin, /he%61lth
    out.add(bare.replaceFirst("d", "%64")); // /a%64min, /health/%64etailed
    out.add(bare.replaceFirst("i", "%69")); // /adm%69n
    out.add(bare.replaceFirst("a", "%41")); // an escaped capital: another path
    out.add(bare + ";x=1");
    out.add(bare.replaceFirst("/([^/]+)", "/$1;x=1")); // /admin;x=1/users
    out.add("/" + bare);
    out.add(bare.replaceFirst("/([^/]+)/", "/$1//")); // /admin//users
    out.add(bare.toUpperCase(Locale.ROOT));
    out.add(bare + "/");
    out.add(bare.replace("/", "%2F").replaceFirst("%2F", "/"));
    out.add("/tts/..;" + bare);
    out.add("/tts/%2e%2e" + bare);
    return out.stream().map(p -> p + query).toList();
  }

  private ApiClient.Response send(String method, String path, String body, String key) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api.base() + path))
            .method(method, BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + key);
    return api.send(request);
  }
}
