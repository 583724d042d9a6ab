package dev.ttsapi.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.MarkerEngine;
import dev.ttsapi.support.TestEnginesApplication;
import dev.ttsapi.support.TestStores;
import dev.ttsapi.webhook.WebhookReceiver.Answer;
import dev.ttsapi.webhook.WebhookReceiver.Received;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A real worker process killed (kill -9) in the middle of delivering a webhook: the receiver has
 * the POST and has not answered. The delivery is a job of its own in PostgreSQL, so once the dead
 * worker's claim runs out another worker delivers it: the receiver gets the same event (same id,
 * same body) again, and the log shows the lost attempt and the delivered one.
 */
class WebhookProcessTest {

  private static final String DATABASE = TestStores.DATABASE + "_webhooks";
  private static final String REDIS = TestStores.redisUrl(6);
  private static final String DATA = "target/test-data-webhooks";

  @BeforeEach
  void freshStores() {
    TestStores.freshLocalStores(DATABASE, REDIS);
  }

  @Test
  void a_webhook_whose_worker_is_killed_mid_delivery_is_delivered_by_another() throws Exception {
    List<String> settings =
        List.of(
            "--server.port=0",
            "--tts.stores.data-dir=" + DATA,
            "--tts.stores.database-url=postgresql://postgres@127.0.0.1:5432/" + DATABASE,
            "--tts.stores.redis-url=" + REDIS,
            "--tts.stores.embedded-durable=false",
            "--tts.queue.block-timeout=500ms",
            "--tts.webhook.allow-networks=127.0.0.1/32",
            "--tts.webhook.poll-interval=200ms",
            "--tts.webhook.timeout=20s",
            "--tts.webhook.lease=25s");
    // The worker process first: its JVM starts while this one starts the API node.
    Process doomed = startWorkerProcess(settings);
    try (WebhookReceiver receiver = new WebhookReceiver();
        ConfigurableApplicationContext apiNode = start(settings, "api")) {
      receiver.answer(Answer.hang());
      UserService users = apiNode.getBean(UserService.class);
      Caller user = users.createUser("webhook-kill-" + System.nanoTime(), Caller.Role.USER);
      String key = users.issueKey(user.userId()).key();
      ApiClient api =
          new ApiClient(((WebServerApplicationContext) apiNode).getWebServer().getPort());
      String id;
      try {
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> api.get("/tts/voices", key).json().path("voices").size() > 0);
        var submitted =
            api.post(
                "/tts/request",
                key,
                ApiClient.json(
                    Map.of(
                        "text", "42",
                        "voice_settings", Map.of("voice", MarkerEngine.VOICE),
                        "callback_url", receiver.url("/hook"))));
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);
        id = submitted.json().path("request_id").asString();

        // The worker process has POSTed and waits for the answer: kill it now.
        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.received().size() == 1);
      } finally {
        doomed.destroyForcibly();
        assertThat(doomed.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(deliveries(api, key, id).path("state").asString()).isEqualTo("pending");

      try (ConfigurableApplicationContext survivor = start(settings, "worker")) {
        await().atMost(Duration.ofSeconds(90)).until(() -> receiver.received().size() == 2);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> "delivered".equals(deliveries(api, key, id).path("state").asString()));
      }
      List<Received> received = receiver.received();
      assertThat(received.get(1).header("Tts-Webhook-Id"))
          .isEqualTo(received.get(0).header("Tts-Webhook-Id"));
      assertThat(received.get(1).body()).isEqualTo(received.get(0).body());
      assertThat(received).extracting(r -> r.header("Tts-Attempt")).containsExactly("1", "2");
      JsonNode attempts = deliveries(api, key, id).path("attempts");
      assertThat(attempts.size()).isEqualTo(2);
      assertThat(attempts.get(0).path("outcome").asString()).isEqualTo("lost");
      assertThat(attempts.get(1).path("outcome").asString()).isEqualTo("delivered");
    } finally {
      doomed.destroyForcibly(); // also when the API node does not start
    }
  }

  private static JsonNode deliveries(ApiClient api, String key, String id) {
    return api.get("/tts/request/" + id + "/deliveries", key).json().path("deliveries").get(0);
  }

  private static Process startWorkerProcess(List<String> settings) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TestEnginesApplication.class.getName());
    command.addAll(settings);
    command.add("--tts.roles=worker");
    File log = new File("target/webhook-worker-process.log");
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
  }

  private static ConfigurableApplicationContext start(List<String> settings, String roles) {
    List<String> args = new ArrayList<>(settings);
    args.add("--tts.roles=" + roles);
    return TestEnginesApplication.run(args.toArray(String[]::new));
  }
}
