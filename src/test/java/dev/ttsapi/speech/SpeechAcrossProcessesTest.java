package dev.ttsapi.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.models.audio.speech.SpeechCreateParams.ResponseFormat;
import com.openai.models.audio.speech.SpeechCreateParams.StreamFormat;
import dev.ttsapi.TtsApiApplication;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.TestStores;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An API-only process streams speech that a worker-only process synthesizes, the chunks passing
 * through Redis as they are made; the two share nothing but PostgreSQL and Redis.
 */
class SpeechAcrossProcessesTest {

  private static ConfigurableApplicationContext apiNode;
  private static ConfigurableApplicationContext workerNode;
  private static String key;
  private static OpenAIClient openai;

  @BeforeAll
  static void start() {
    TestStores.assumeLocalStores();
    String database = TestStores.DATABASE + "_speech";
    TestStores.recreateDatabase(database);
    // A Redis db apart from the other test contexts', whose workers would take the live jobs.
    int redisDb = (TestStores.REDIS_DB + 10) % 16;
    List<String> shared =
        List.of(
            "server.port=0",
            "tts.stores.data-dir=target/test-data-speech",
            "tts.stores.database-url=postgresql://postgres@127.0.0.1:5432/" + database,
            "tts.stores.redis-url=" + TestStores.redisUrl(redisDb),
            "tts.worker.synthesis-threads=2",
            "tts.ratelimit.requests-per-minute=100000",
            "tts.ratelimit.poll-requests-per-minute=100000");
    apiNode = start(shared, "tts.roles=api");
    workerNode = start(shared, "tts.roles=worker");
    UserService users = apiNode.getBean(UserService.class);
    Caller user = users.createUser("across-" + System.nanoTime(), Caller.Role.USER);
    key = users.issueKey(user.userId()).key();
    openai =
        OpenAIOkHttpClient.builder()
            .baseUrl("http://127.0.0.1:" + port(apiNode) + "/v1")
            .apiKey(key)
            .maxRetries(0)
            .build();
  }

  @AfterAll
  static void stop() {
    if (openai != null) {
      openai.close();
    }
    if (apiNode != null) {
      apiNode.close();
    }
    if (workerNode != null) {
      workerNode.close();
    }
  }

  @Test
  void the_api_node_streams_what_the_worker_node_speaks() throws Exception {
    assertThat(apiNode.getBean(SpeechService.class).inProcess()).isFalse();
    assertThat(apiNode.containsBean("jobDispatcher")).as("an API-only node runs no jobs").isFalse();
    assertThat(workerNode.getBeanNamesForType(SpeechController.class)).isEmpty();

    byte[] streamed =
        SpeechEndpointContract.readAll(
            openai
                .audio()
                .speech()
                .create(
                    SpeechEndpointContract.speech(
                            SpeechEndpointContract.TEXT, "alloy", ResponseFormat.PCM)
                        .build()));

    ApiClient api = new ApiClient(port(apiNode));
    String id =
        api.post(
                "/tts/request",
                key,
                ApiClient.json(
                    Map.of(
                        "text",
                        SpeechEndpointContract.TEXT,
                        "voice_settings",
                        Map.of("voice", "mary:cmu-slt-hsmm"),
                        "format",
                        "pcm",
                        "sample_rate",
                        24000)))
            .json()
            .path("request_id")
            .asString();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                "completed"
                    .equals(api.get("/tts/status/" + id, key).json().path("status").asString()));
    byte[] stored = api.get("/tts/audio/" + id, key).body();

    assertThat(stored.length).isGreaterThan(24000);
    assertThat((double) streamed.length)
        .isCloseTo(stored.length, org.assertj.core.data.Percentage.withPercentage(2));
  }

  @Test
  void server_sent_events_cross_processes_too() throws Exception {
    HttpResponse response =
        openai
            .audio()
            .speech()
            .create(
                SpeechEndpointContract.speech(
                        SpeechEndpointContract.THREE_SENTENCES,
                        PacedEngine.VOICE,
                        ResponseFormat.PCM)
                    .streamFormat(StreamFormat.SSE)
                    .build());
    String events = new String(SpeechEndpointContract.readAll(response), StandardCharsets.UTF_8);

    assertThat(events).contains("\"type\":\"speech.audio.delta\"");
    assertThat(events.strip()).endsWith("}").contains("\"type\":\"speech.audio.done\"");
  }

  @Test
  void a_client_that_goes_away_stops_the_worker() throws Exception {
    PacedEngine paced = workerNode.getBean(PacedEngine.class);
    paced.reset(150);
    StringBuilder text = new StringBuilder();
    int sentences = 40;
    for (int i = 1; i <= sentences; i++) {
      text.append("This is sentence number ").append(i).append(" of the text. ");
    }
    byte[] body =
        ApiClient.json(
                Map.of(
                    "model",
                    "tts-1",
                    "input",
                    text.toString(),
                    "voice",
                    PacedEngine.VOICE,
                    "response_format",
                    "pcm"))
            .getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", port(apiNode))) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/audio/speech HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + key
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] start = in.readNBytes(2000);
      assertThat(new String(start, 0, 12, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> paced.running() == 0);
    int made = paced.calls();
    await()
        .during(Duration.ofMillis(1000))
        .atMost(Duration.ofSeconds(5))
        .until(() -> paced.calls() == made);
    assertThat(made).as("chunks synthesized of " + sentences).isLessThan(sentences / 2);
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
