package dev.ttsapi.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.MarkerEngine;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.JsonNode;

/**
 * With the default settings (no tts.webhook.allow-networks), a callback URL that would make the
 * service call its own network is refused at submit with a 400 problem, and nothing is queued.
 */
@Import(CallbackUrlSafetyTest.Dns.class)
class CallbackUrlSafetyTest extends IntegrationTest {

  @TestConfiguration(proxyBeanMethods = false)
  static class Dns {
    @Bean
    @Primary
    ScriptedHostResolver scriptedHostResolver() {
      return new ScriptedHostResolver();
    }
  }

  @Autowired ScriptedHostResolver dns;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:8080/hook", // loopback
        "http://[::1]/hook",
        "http://169.254.169.254/latest/meta-data/", // link-local: cloud metadata
        "http://10.0.0.7/hook", // private
        "http://172.16.3.4/hook",
        "http://192.168.1.1/hook",
        "http://[fd00::1]/hook", // unique-local
        "http://[fe80::1]/hook", // link-local
        "http://224.0.0.1/hook", // multicast
        "http://0.0.0.0/hook", // unspecified
        "http://100.64.0.1/hook", // shared address space
        "http://[::ffff:127.0.0.1]/hook", // IPv4-mapped loopback
        "http://[64:ff9b::a00:1]/hook", // NAT64 of 10.0.0.1
        "http://[2002:c0a8:101::1]/hook", // 6to4 of 192.168.1.1
        "http://internal.test/hook", // a name that resolves to a private address
      })
  void an_internal_address_is_refused_at_submit_and_as_a_default(String url) {
    dns.script("internal.test", "10.9.8.7");
    TestUser user = newUser("ssrf-" + System.nanoTime(), Caller.Role.USER);

    var submitted = api.post("/tts/request", user.key(), body(url));
    assertThat(submitted.status()).as(submitted.text()).isEqualTo(400);
    assertThat(submitted.header("Content-Type")).startsWith("application/problem+json");
    JsonNode problem = submitted.json();
    assertThat(problem.path("type").asString())
        .isEqualTo("https://tts-api.dev/problems/callback-url-refused");
    assertThat(problem.path("field").asString()).isEqualTo("callback_url");
    assertThat(problem.path("detail").asString()).contains("tts.webhook.allow-networks");
    assertThat(api.get("/tts/requests", user.key()).json().path("items").size()).isZero();

    var defaulted = api.put("/tts/webhook", user.key(), ApiClient.json(Map.of("url", url)));
    assertThat(defaulted.status()).as(defaulted.text()).isEqualTo(400);
    assertThat(defaulted.json().path("field").asString()).isEqualTo("url");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://203.0.113.5/hook",
        "/relative/hook",
        "http://user:secret@203.0.113.5/hook",
        "http://203.0.113.5/hook#fragment",
        "http://203.0.113.5/a hook",
        "http://unknown.test/hook",
        "",
      })
  void a_callback_url_that_is_not_a_plain_public_http_url_is_refused(String url) {
    TestUser user = newUser("bad-url-" + System.nanoTime(), Caller.Role.USER);
    var submitted = api.post("/tts/request", user.key(), body(url));
    assertThat(submitted.status()).as(submitted.text()).isEqualTo(400);
    assertThat(submitted.json().path("type").asString())
        .isEqualTo("https://tts-api.dev/problems/callback-url-refused");
  }

  @Test
  void a_public_address_is_accepted() {
    // Public at submit; should the request end, the delivery would find a private address and
    // connect nowhere: no test sends traffic off this machine. (The worker is stopped anyway: the
    // request stays queued until the next test's clean-up.)
    dns.script("hooks.example.test", "203.0.113.5", "10.0.0.1");
    worker().stop();
    TestUser user = newUser("good-url-" + System.nanoTime(), Caller.Role.USER);
    var submitted = api.post("/tts/request", user.key(), body("https://hooks.example.test/tts"));
    assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);
  }

  private static String body(String callbackUrl) {
    return ApiClient.json(
        Map.of(
            "text",
            "5",
            "voice_settings",
            Map.of("voice", MarkerEngine.VOICE),
            "callback_url",
            callbackUrl));
  }
}
