package dev.ttsapi.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.TtsApiApplication;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.engine.VoiceDirectory;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An API-only node waits for a worker's chunks with a blocking read: a chunk that takes longer than
 * Redis's command timeout must be waited for, not end the stream with a 500 or cut it short. Here
 * the command timeout is 1 s and every chunk takes 2.5 s.
 */
class SlowChunksAcrossProcessesTest {

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
  private static final long CHUNK_MILLIS = 2500;

  private static ConfigurableApplicationContext apiNode;
  private static ConfigurableApplicationContext workerNode;
  private static String key;

  @BeforeAll
  static void start() {
    TestStores.assumeLocalStores();
    String database = TestStores.DATABASE + "_slow_chunks";
    TestStores.recreateDatabase(database);
    String redis = TestStores.redisUrl((TestStores.REDIS_DB + 11) % 16);
    TestStores.flushRedis(redis);
    List<String> shared =
        List.of(
            "server.port=0",
            "tts.stores.data-dir=target/test-data-slow-chunks",
            "tts.stores.database-url=postgresql://postgres@127.0.0.1:5432/" + database,
            "tts.stores.redis-url=" + redis,
            "tts.stores.redis-command-timeout=" + COMMAND_TIMEOUT.toMillis() + "ms",
            "tts.queue.block-timeout=500ms",
            "tts.worker.synthesis-threads=2",
            "tts.ratelimit.requests-per-minute=100000");
    apiNode = start(shared, "tts.roles=api");
    workerNode = start(shared, "tts.roles=worker");
    // The worker publishes its voices from a scheduler thread just after it starts; until then the
    // API node answers 503 "no worker has published its voices yet", as it should.
    VoiceDirectory voices = apiNode.getBean(VoiceDirectory.class);
    await().atMost(Duration.ofSeconds(60)).until(() -> !voices.current().voices().isEmpty());
    UserService users = apiNode.getBean(UserService.class);
    Caller user = users.createUser("slow-" + System.nanoTime(), Caller.Role.USER);
    key = users.issueKey(user.userId()).key();
  }

  @AfterAll
  static void stop() {
    if (apiNode != null) {
      apiNode.close();
    }
    if (workerNode != null) {
      workerNode.close();
    }
  }

  @Test
  void chunks_slower_than_the_redis_command_timeout_still_stream_whole() throws Exception {
    workerNode.getBean(PacedEngine.class).reset(CHUNK_MILLIS);
    String body =
        ApiClient.json(
            Map.of(
                "model",
                "tts-1",
                "input",
                SpeechEndpointContract.THREE_SENTENCES,
                "voice",
                PacedEngine.VOICE,
                "response_format",
                "pcm"));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(apiNode) + "/v1/audio/speech"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();

    HttpResponse<byte[]> response;
    try (HttpClient client = HttpClient.newHttpClient()) {
      response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } finally {
      workerNode.getBean(PacedEngine.class).reset(0);
    }

    assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
    // 10 ms of audio per character, 24 kHz, 16 bits: every sentence arrived, none was cut off.
    int whole = 0;
    for (String sentence : SpeechEndpointContract.THREE_SENTENCES.split("(?<=\\.) ")) {
      whole += PacedEngine.pcmBytesAt(24000, sentence);
    }
    assertThat((double) response.body().length).isCloseTo(whole, Percentage.withPercentage(2));
  }

  private static ConfigurableApplicationContext start(List<String> shared, String roles) {
    List<String> properties = new ArrayList<>(shared);
    properties.add(roles);
    return new SpringApplicationBuilder(TtsApiApplication.class, PacedEngine.Config.class)
        .run(properties.stream().map(p -> "--" + p).toArray(String[]::new));
  }

  private static int port(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }
}
