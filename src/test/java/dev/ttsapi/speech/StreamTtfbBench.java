package dev.ttsapi.speech;

import dev.ttsapi.TtsApiApplication;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.TestStores;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Time to the first audio byte of {@code POST /v1/audio/speech} for a 2,000-character text, against
 * the time to its last byte and to the whole answer of {@code POST /tts/request} (queued, stored,
 * downloaded). Not a test: run it with {@code bench/stream-ttfb.sh}. Uses the local PostgreSQL and
 * Redis (its own database and Redis db) and MaryTTS.
 *
 * <p>Arguments: {@code [runs] [mode]}, mode {@code in-process} (default: one node with every role)
 * or {@code split} (an API-only node and a worker-only node, chunks through Redis).
 */
public final class StreamTtfbBench {

  private StreamTtfbBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    String mode = args.length > 1 ? args[1] : "in-process";
    String database = TestStores.DATABASE + "_bench";
    TestStores.recreateDatabase(database);
    int redisDb = (TestStores.REDIS_DB + 10) % 16;
    List<String> shared =
        List.of(
            "server.port=0",
            "tts.stores.data-dir=target/bench-data",
            "tts.stores.database-url=postgresql://postgres@127.0.0.1:5432/" + database,
            "tts.stores.redis-url=" + TestStores.redisUrl(redisDb),
            "tts.ratelimit.requests-per-minute=100000",
            "tts.ratelimit.poll-requests-per-minute=100000",
            "logging.level.root=WARN",
            "logging.level.tts.access=WARN");
    List<ConfigurableApplicationContext> nodes = new ArrayList<>();
    try {
      ConfigurableApplicationContext api;
      if (mode.equals("split")) {
        api = start(shared, "tts.roles=api,maintenance");
        nodes.add(api);
        nodes.add(start(shared, "tts.roles=worker"));
      } else {
        api = start(shared, "tts.roles=api,worker,maintenance");
        nodes.add(api);
      }
      int port = ((WebServerApplicationContext) api).getWebServer().getPort();
      UserService users = api.getBean(UserService.class);
      Caller user = users.createUser("bench-" + System.nanoTime(), Caller.Role.USER);
      String key = users.issueKey(user.userId()).key();
      String text = text(2000);
      System.out.printf(
          "mode=%s text=%d chars, voice alloy (mary:cmu-slt-hsmm), pcm 24 kHz, %d cores%n",
          mode, text.length(), Runtime.getRuntime().availableProcessors());
      stream(port, key, "Warm up the voice once. Then measure.");
      List<double[]> streamed = new ArrayList<>();
      List<Double> queued = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        // A different text each run, so no run is a cache hit of /tts/request.
        String run = "Run " + (i + 1) + ". " + text.substring(("Run " + (i + 1) + ". ").length());
        double[] s = stream(port, key, run);
        double q = request(port, key, run);
        streamed.add(s);
        queued.add(q);
        System.out.printf(
            "run %d: stream first byte %.0f ms, last byte %.0f ms (%d bytes, %.1f s audio);"
                + " /tts/request whole answer %.0f ms%n",
            i + 1, s[0], s[1], (long) s[2], s[2] / 48000, q);
      }
      System.out.printf(
          "median: first audio byte %.0f ms | whole stream %.0f ms | /tts/request whole answer %.0f ms%n",
          median(streamed.stream().map(s -> s[0]).toList()),
          median(streamed.stream().map(s -> s[1]).toList()),
          median(queued));
    } finally {
      nodes.reversed().forEach(ConfigurableApplicationContext::close);
    }
    System.exit(0);
  }

  /** Milliseconds to the first and the last byte, and the byte count. */
  private static double[] stream(int port, String key, String text) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/audio/speech"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    ApiClient.json(
                        Map.of(
                            "model",
                            "tts-1",
                            "input",
                            text,
                            "voice",
                            "alloy",
                            "response_format",
                            "pcm"))))
            .build();
    long start = System.nanoTime();
    HttpResponse<InputStream> response =
        http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + response.statusCode());
    }
    long first = 0;
    long bytes = 0;
    byte[] buffer = new byte[8192];
    try (InputStream in = response.body()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (n > 0 && bytes == 0) {
          first = System.nanoTime();
        }
        bytes += n;
      }
    }
    long end = System.nanoTime();
    return new double[] {(first - start) / 1e6, (end - start) / 1e6, bytes};
  }

  /** Milliseconds from submitting to having downloaded the audio of {@code POST /tts/request}. */
  private static double request(int port, String key, String text) throws Exception {
    ApiClient api = new ApiClient(port);
    long start = System.nanoTime();
    String id =
        api.post(
                "/tts/request",
                key,
                ApiClient.json(
                    Map.of(
                        "text",
                        text,
                        "voice_settings",
                        Map.of("voice", "mary:cmu-slt-hsmm"),
                        "format",
                        "pcm",
                        "sample_rate",
                        24000,
                        "priority",
                        "high")))
            .json()
            .path("request_id")
            .asString();
    while (!"completed"
        .equals(api.get("/tts/status/" + id, key).json().path("status").asString())) {
      Thread.sleep(20);
    }
    api.get("/tts/audio/" + id, key);
    return (System.nanoTime() - start) / 1e6;
  }

  private static String text(int length) {
    String[] sentences = {
      "The committee met on Tuesday to review the plans for the new library.",
      "Several members asked how long the building work would take.",
      "The architect explained that the foundations alone need three months.",
      "After that, the walls and the roof can go up quite quickly.",
      "Everyone agreed that the reading rooms should face the park.",
      "A local school offered to help choose the first books for children.",
      "The meeting ended with a vote, and the plans were approved.",
    };
    StringBuilder b = new StringBuilder();
    for (int i = 0; b.length() < length; i++) {
      b.append(sentences[i % sentences.length]).append(' ');
    }
    return b.substring(0, length - 1).strip() + ".";
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static ConfigurableApplicationContext start(List<String> shared, String roles) {
    List<String> properties = new ArrayList<>(shared);
    properties.add(roles);
    return new SpringApplicationBuilder(TtsApiApplication.class)
        .run(properties.stream().map(p -> "--" + p).toArray(String[]::new));
  }
}
