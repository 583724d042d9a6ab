package dev.ttsapi.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.FaultEngine;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.MarkerEngine;
import dev.ttsapi.webhook.WebhookReceiver.Answer;
import dev.ttsapi.webhook.WebhookReceiver.Received;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhooks end to end against a real HTTP receiver on 127.0.0.1 (allowed here by {@code
 * tts.webhook.allow-networks}, as an operator would for an internal receiver): what is sent, how it
 * is signed, how failures are retried and logged.
 */
@TestPropertySource(
    properties = {
      "tts.webhook.allow-networks=127.0.0.1/32",
      "tts.webhook.poll-interval=100ms",
      "tts.webhook.connect-timeout=500ms",
      "tts.webhook.timeout=1s",
      "tts.webhook.lease=3s",
      "tts.webhook.backoff-base=200ms",
      "tts.webhook.backoff-max=1s",
      "tts.webhook.retry-for=6s"
    })
@Import(WebhookDeliveryTest.Dns.class)
class WebhookDeliveryTest extends IntegrationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TestConfiguration(proxyBeanMethods = false)
  static class Dns {
    @Bean
    @Primary
    ScriptedHostResolver scriptedHostResolver() {
      return new ScriptedHostResolver();
    }
  }

  @Autowired ScriptedHostResolver dns;

  private WebhookReceiver receiver;
  private TestUser user;

  @BeforeEach
  void receiverAndUser() throws Exception {
    receiver = new WebhookReceiver();
    user = newUser("hooked-" + System.nanoTime(), Caller.Role.USER);
  }

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  @Test
  void a_completed_request_posts_its_signed_status_document_once() {
    String secret = secret();
    String id = submit("12 words", MarkerEngine.VOICE, receiver.url("/hooks/tts"));

    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 1);
    Received webhook = receiver.received().getFirst();
    assertThat(WebhookReceiver.verifies(webhook, secret)).isTrue();
    assertThat(WebhookReceiver.verifies(webhook, "whsec_someone-else")).isFalse();
    assertThat(webhook.header("Content-Type")).startsWith("application/json");
    assertThat(webhook.header("Tts-Event")).isEqualTo("request.completed");
    long t = Long.parseLong(webhook.header("Tts-Signature").split(",")[0].substring(2));
    assertThat(Math.abs(t - Instant.now().getEpochSecond())).isLessThan(60);
    // The same document a poll answers, field for field.
    JsonNode polled = api.get("/tts/status/" + id, user.key()).json();
    assertThat(JSON.readTree(webhook.body())).isEqualTo(polled);
    assertThat(polled.path("status").asString()).isEqualTo("completed");

    JsonNode log = awaitDeliveryState(id, "delivered");
    JsonNode attempt = log.path("attempts").get(0);
    assertThat(log.path("attempts").size()).isEqualTo(1);
    assertThat(log.path("event").asString()).isEqualTo("request.completed");
    assertThat(log.path("delivery_id").asString()).isEqualTo(webhook.header("Tts-Webhook-Id"));
    assertThat(attempt.path("outcome").asString()).isEqualTo("delivered");
    assertThat(attempt.path("status_code").asInt()).isEqualTo(200);
    assertThat(attempt.path("latency_ms").asDouble()).isPositive();
    assertThat(api.get("/metrics", null).text())
        .containsPattern("tts_webhook_attempts_total\\{[^}]*outcome=\"delivered\"[^}]*} [1-9]")
        .contains("tts_webhook_attempt_duration_seconds_bucket");
    // Someone else's request has no log to show them.
    TestUser other = newUser("other-" + System.nanoTime(), Caller.Role.USER);
    assertThat(api.get("/tts/request/" + id + "/deliveries", other.key()).status()).isEqualTo(404);
  }

  @Test
  void a_request_answered_at_once_from_stored_audio_posts_its_event_too() {
    String first = submit("11", MarkerEngine.VOICE, null);
    awaitStatus(user.key(), first, "completed");
    var again =
        api.post(
            "/tts/request",
            user.key(),
            dev.ttsapi.support.ApiClient.json(
                Map.of(
                    "text", "11",
                    "voice_settings", Map.of("voice", MarkerEngine.VOICE),
                    "callback_url", receiver.url("/cached"))));
    assertThat(again.json().path("status").asString()).isEqualTo("completed");
    String id = again.json().path("request_id").asString();

    awaitDeliveryState(id, "delivered");
    Received webhook = receiver.received().getFirst();
    assertThat(webhook.header("Tts-Event")).isEqualTo("request.completed");
    assertThat(JSON.readTree(webhook.body()))
        .isEqualTo(api.get("/tts/status/" + id, user.key()).json());
  }

  @Test
  void server_errors_and_timeouts_are_retried_with_the_same_body_until_delivered() {
    String secret = secret();
    receiver.answer(Answer.status(500), Answer.hang(), Answer.status(503));
    String id = submit("7", MarkerEngine.VOICE, receiver.url("/flaky"));

    JsonNode log = awaitDeliveryState(id, "delivered");
    List<JsonNode> attempts = log.path("attempts").valueStream().toList();
    assertThat(attempts)
        .extracting(a -> a.path("outcome").asString())
        .containsExactly("http_error", "timeout", "http_error", "delivered");
    assertThat(attempts)
        .extracting(a -> a.path("status_code").asInt(0))
        .containsExactly(500, 0, 503, 200);
    assertThat(attempts.get(1).path("error").asString()).contains("no answer within 1000 ms");
    assertThat(attempts.get(1).path("latency_ms").asDouble()).isBetween(900.0, 5000.0);
    List<Received> received = receiver.received();
    assertThat(received).hasSize(4);
    assertThat(received).extracting(Received::body).containsOnly(received.getFirst().body());
    assertThat(received)
        .extracting(r -> r.header("Tts-Webhook-Id"))
        .containsOnly(log.path("delivery_id").asString());
    assertThat(received)
        .extracting(r -> r.header("Tts-Attempt"))
        .containsExactly("1", "2", "3", "4");
    assertThat(received).allMatch(r -> WebhookReceiver.verifies(r, secret));
    // Each wait is longer than the last: 200 ms doubled, jittered between half and all.
    List<Instant> starts =
        attempts.stream().map(a -> Instant.parse(a.path("started_at").asString())).toList();
    assertThat(Duration.between(starts.get(0), starts.get(1)))
        .isGreaterThanOrEqualTo(Duration.ofMillis(100));
  }

  @Test
  void a_receiver_that_never_succeeds_is_given_up_after_retry_for() {
    receiver.answer(
        java.util.stream.IntStream.range(0, 100)
            .mapToObj(i -> Answer.status(500))
            .toArray(Answer[]::new));
    String id = submit("3", MarkerEngine.VOICE, receiver.url("/down"));

    JsonNode log = awaitDeliveryState(id, "failed");
    int attempts = log.path("attempts").size();
    assertThat(attempts).isGreaterThan(3);
    assertThat(log.path("attempts").get(attempts - 1).path("outcome").asString())
        .isEqualTo("http_error");
    Instant first = Instant.parse(log.path("attempts").get(0).path("started_at").asString());
    Instant last =
        Instant.parse(log.path("attempts").get(attempts - 1).path("started_at").asString());
    assertThat(Duration.between(first, last)).isLessThanOrEqualTo(Duration.ofSeconds(6));
    assertThat(receiver.received()).hasSize(attempts);
    assertThat(api.get("/metrics", null).text())
        .containsPattern("tts_webhook_deliveries_total\\{[^}]*result=\"failed\"[^}]*} [1-9]");
  }

  @Test
  void a_request_retried_by_the_queue_and_failed_sends_one_event_and_a_cancel_sends_its_own() {
    String url = receiver.url("/events");
    String failed = submit(FaultEngine.THROW + " always", FaultEngine.VOICE, url);
    awaitDeliveryState(failed, "delivered");
    // Three attempts of the job (two retries), one event: its end, never an attempt's failure.
    assertThat(api.get("/tts/status/" + failed, user.key()).json().path("status").asString())
        .isEqualTo("failed");
    assertThat(eventsFor(failed)).containsExactly("request.failed");

    worker().stop();
    try {
      String cancelled = submit("5", MarkerEngine.VOICE, url);
      assertThat(api.delete("/tts/request/" + cancelled, user.key()).status()).isEqualTo(200);
      awaitDeliveryState(cancelled, "delivered");
      assertThat(eventsFor(cancelled)).containsExactly("request.cancelled");
      JsonNode body =
          JSON.readTree(
              receiver.received().stream()
                  .filter(r -> r.body().contains(cancelled))
                  .findFirst()
                  .orElseThrow()
                  .body());
      assertThat(body.path("status").asString()).isEqualTo("cancelled");
    } finally {
      worker().start();
    }
  }

  @Test
  void the_users_default_url_serves_requests_without_their_own() {
    JsonNode settings =
        api.put("/tts/webhook", user.key(), "{\"url\":\"" + receiver.url("/default") + "\"}")
            .json();
    assertThat(settings.path("url").asString()).isEqualTo(receiver.url("/default"));

    String viaDefault = submit("4", MarkerEngine.VOICE, null);
    String viaOwn = submit("6", MarkerEngine.VOICE, receiver.url("/own"));
    awaitDeliveryState(viaDefault, "delivered");
    awaitDeliveryState(viaOwn, "delivered");
    Map<String, String> urlByRequest = new HashMap<>();
    for (String id : List.of(viaDefault, viaOwn)) {
      urlByRequest.put(id, deliveries(id).get(0).path("url").asString());
    }
    assertThat(urlByRequest)
        .containsEntry(viaDefault, receiver.url("/default"))
        .containsEntry(viaOwn, receiver.url("/own"));

    api.delete("/tts/webhook", user.key());
    String none = submit("8", MarkerEngine.VOICE, null);
    awaitStatus(user.key(), none, "completed");
    assertThat(deliveries(none)).isEmpty();
  }

  @Test
  void a_rotated_secret_keeps_signing_beside_the_new_one() {
    String old = secret();
    JsonNode rotated = api.post("/tts/webhook/secret:rotate", user.key(), "").json();
    String current = rotated.path("secrets").get(0).path("secret").asString();
    assertThat(current).startsWith("whsec_").isNotEqualTo(old);
    assertThat(rotated.path("secrets").get(1).path("secret").asString()).isEqualTo(old);
    assertThat(rotated.path("secrets").get(1).path("expires_at").isMissingNode()).isFalse();

    submit("9", MarkerEngine.VOICE, receiver.url("/rotated"));
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 1);
    Received webhook = receiver.received().getFirst();
    assertThat(webhook.header("Tts-Signature").split(",v1=")).hasSize(3);
    assertThat(WebhookReceiver.verifies(webhook, current)).isTrue();
    assertThat(WebhookReceiver.verifies(webhook, old)).isTrue();

    // A second rotation ends the first old secret at once: never more than two valid.
    JsonNode again = api.post("/tts/webhook/secret:rotate", user.key(), "").json();
    assertThat(again.path("secrets").size()).isEqualTo(2);
    assertThat(again.path("secrets").get(1).path("secret").asString()).isEqualTo(current);
  }

  @Test
  void a_name_that_resolves_to_an_internal_address_at_delivery_is_refused_then() {
    // Public at submit, private when the webhook is due: DNS rebinding.
    dns.script("rebind.test", "203.0.113.10", "10.1.2.3");
    String id = submit("2", MarkerEngine.VOICE, "http://rebind.test/hook");

    JsonNode log = awaitDeliveryState(id, "failed");
    assertThat(log.path("attempts").valueStream().map(a -> a.path("outcome").asString()))
        .isNotEmpty()
        .containsOnly("refused");
    assertThat(log.path("attempts").get(0).path("error").asString())
        .contains("rebind.test resolves to 10.1.2.3, a private address");
  }

  @Test
  void an_ssml_request_posts_the_same_document_a_poll_answers_with_what_ssml_honoured() {
    secret();
    String id =
        submit(
            "<speak>Twelve <break time=\"200ms\"/> words <mark name=\"end\"/></speak>",
            MarkerEngine.VOICE,
            receiver.url("/hooks/tts"));

    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 1);
    JsonNode polled = api.get("/tts/status/" + id, user.key()).json();
    assertThat(polled.path("ssml").isObject()).as(polled.toString()).isTrue();
    assertThat(JSON.readTree(receiver.received().getFirst().body())).isEqualTo(polled);
  }

  private String submit(String text, String voice, String callbackUrl) {
    Map<String, Object> body = new HashMap<>();
    body.put("text", text);
    body.put("voice_settings", Map.of("voice", voice));
    if (callbackUrl != null) {
      body.put("callback_url", callbackUrl);
    }
    var response = api.post("/tts/request", user.key(), dev.ttsapi.support.ApiClient.json(body));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("request_id").asString();
  }

  private String secret() {
    return api.get("/tts/webhook", user.key())
        .json()
        .path("secrets")
        .get(0)
        .path("secret")
        .asString();
  }

  private List<JsonNode> deliveries(String requestId) {
    var response = api.get("/tts/request/" + requestId + "/deliveries", user.key());
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("deliveries").valueStream().toList();
  }

  private List<String> eventsFor(String requestId) {
    return deliveries(requestId).stream().map(d -> d.path("event").asString()).toList();
  }

  private JsonNode awaitDeliveryState(String requestId, String state) {
    JsonNode[] found = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              List<JsonNode> all = deliveries(requestId);
              if (all.size() != 1) {
                return false;
              }
              found[0] = all.getFirst();
              return state.equals(found[0].path("state").asString());
            });
    return found[0];
  }
}
