package dev.ttsapi.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.TtsApiApplication;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.support.MarkerEngine;
import dev.ttsapi.support.TestEngines;
import dev.ttsapi.support.TestStores;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Throws thousands of generated bodies, headers and paths at the running service over real HTTP and
 * checks what must always hold: no 5xx; a refused call writes nothing; every accepted request ends
 * up finished (none left stuck). The service is started here (jqwik has no Spring test context)
 * against the same stores as the other integration tests, with the test engines, so accepted
 * requests are spoken fast by the marker engine.
 */
class ApiFuzzTest {

  private static final JsonMapper PLAIN = JsonMapper.builder().build();
  private static final JsonMapper ESCAPING =
      JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static ConfigurableApplicationContext app;
  private static JdbcClient jdbc;
  private static String base;
  private static UUID userId;
  private static String key;
  private static String otherKey;

  /** A generated call: its body and headers. */
  record Call(String body, boolean escapeNonAscii, String contentType, String auth, String idem) {}

  @BeforeContainer
  static void startService() {
    // Local stores when they answer, else the embedded ones other test contexts share.
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--tts.stores.data-dir=target/test-data",
                "--tts.ratelimit.requests-per-minute=1000000",
                "--tts.ratelimit.poll-requests-per-minute=1000000",
                "--tts.maintenance.sweep-interval=1s",
                "--tts.maintenance.sweep-age=3s",
                "--tts.queue.visibility-timeout=3s",
                "--tts.queue.reclaim-interval=500ms",
                "--tts.queue.block-timeout=500ms"));
    if (TestStores.reachable(5432)) {
      TestStores.createDatabaseIfMissing(TestStores.DATABASE);
      args.add(
          "--tts.stores.database-url=postgresql://postgres@127.0.0.1:5432/" + TestStores.DATABASE);
    }
    if (TestStores.reachable(6379)) {
      args.add("--tts.stores.redis-url=" + TestStores.redisUrl());
    }
    app =
        new SpringApplicationBuilder(TtsApiApplication.class, TestEngines.class)
            .run(args.toArray(String[]::new));
    base = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
    jdbc = app.getBean(JdbcClient.class);
    UserService users = app.getBean(UserService.class);
    Caller user = users.createUser("fuzz-" + UUID.randomUUID(), Caller.Role.USER);
    userId = user.userId();
    key = users.issueKey(userId).key();
    Caller other = users.createUser("fuzz-other-" + UUID.randomUUID(), Caller.Role.USER);
    otherKey = users.issueKey(other.userId()).key();
  }

  @AfterContainer
  static void noRequestLeftStuck() {
    if (app == null) {
      return;
    }
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .untilAsserted(
              () ->
                  assertThat(
                          jdbc.sql(
                                  "SELECT count(*) FROM requests WHERE user_id = ?"
                                      + " AND status IN ('queued', 'processing')")
                              .param(userId)
                              .query(Long.class)
                              .single())
                      .as("accepted requests still unfinished")
                      .isZero());
    } finally {
      app.close();
    }
  }

  @Property(tries = 1500, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.MIXIN)
  void a_submission_is_never_a_5xx_and_a_refused_one_writes_nothing(@ForAll("calls") Call call)
      throws Exception {
    long before = rows();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/tts/request"))
            .timeout(Duration.ofSeconds(30))
            .POST(BodyPublishers.ofString(call.body(), StandardCharsets.UTF_8));
    header(request, "Content-Type", call.contentType());
    header(request, "Authorization", call.auth());
    header(request, "Idempotency-Key", call.idem());

    HttpResponse<String> response = send(request);

    net.jqwik.api.statistics.Statistics.label("status").collect(response.statusCode());
    assertThat(response.statusCode()).as(describe(call, response)).isLessThan(500);
    long after = rows();
    if (response.statusCode() == 200) {
      assertThat(after).as(describe(call, response)).isBetween(before, before + 1);
    } else {
      assertThat(after).as("refused, yet written: " + describe(call, response)).isEqualTo(before);
    }
  }

  @Property(tries = 700, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.MIXIN)
  void reading_odd_paths_and_queries_is_never_a_5xx(
      @ForAll("paths") String path, @ForAll("auths") String auth) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
    header(request, "Authorization", auth);

    HttpResponse<String> response = send(request);

    net.jqwik.api.statistics.Statistics.label("status").collect(response.statusCode());
    assertThat(response.statusCode()).as(path + " -> " + response.body()).isLessThan(500);
  }

  @Provide
  Arbitrary<Call> calls() {
    return Combinators.combine(
            bodies(),
            Arbitraries.of(true, false),
            Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, Arbitraries.just("application/json")),
                net.jqwik.api.Tuple.of(2, Arbitraries.just("application/json; charset=utf-8")),
                net.jqwik.api.Tuple.of(1, contentTypes())),
            auths(),
            Arbitraries.oneOf(
                Arbitraries.just(null), Arbitraries.of("k1", "k2", "k3"), printable(0, 300)))
        .as(Call::new);
  }

  private static Arbitrary<String> contentTypes() {
    return Arbitraries.of(
        "application/json; charset=iso-8859-1",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/*",
        "garbage/;;;",
        "");
  }

  /** Mostly a good value, now and then one of the wrong type or shape. */
  private Arbitrary<Object> mostly(Arbitrary<Object> good) {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, good), net.jqwik.api.Tuple.of(1, odd()));
  }

  @Provide
  Arbitrary<String> auths() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.just("Bearer " + key).map(s -> "Bearer " + key)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(null)),
        net.jqwik.api.Tuple.of(
            1, Arbitraries.just("Bearer " + otherKey).map(s -> "Bearer " + otherKey)),
        net.jqwik.api.Tuple.of(1, printable(0, 80).map(s -> "Bearer " + s)),
        net.jqwik.api.Tuple.of(1, printable(0, 80)));
  }

  @Provide
  Arbitrary<String> paths() {
    Arbitrary<String> segment =
        Arbitraries.oneOf(
            Arbitraries.strings().all().ofMaxLength(60),
            Arbitraries.create(UUID::randomUUID).map(UUID::toString),
            Arbitraries.of("", "..", "%00", "%2e%2e", "00000000-0000-7000-8000-000000000000"));
    Arbitrary<String> encoded = segment.map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8));
    return Arbitraries.oneOf(
        encoded.map(s -> "/tts/status/" + s),
        encoded.map(s -> "/tts/audio/" + s),
        Combinators.combine(encoded, encoded, Arbitraries.integers().between(-5, 100_000))
            .as(
                (status, cursor, limit) ->
                    "/tts/requests?status=" + status + "&cursor=" + cursor + "&limit=" + limit),
        encoded.map(s -> "/tts/voices?language=" + s),
        encoded.map(s -> "/admin/users/" + s + "/limits"));
  }

  /** Mostly valid-looking bodies with odd values, plus broken JSON and plain noise. */
  private Arbitrary<String> bodies() {
    Arbitrary<Map<String, Object>> shaped = shapedBodies();
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, shaped.map(m -> write(PLAIN, m))),
        net.jqwik.api.Tuple.of(3, shaped.map(m -> write(ESCAPING, m))),
        net.jqwik.api.Tuple.of(
            2,
            Combinators.combine(shaped, Arbitraries.integers().between(0, 200))
                .as(
                    (m, cut) -> {
                      String json = write(PLAIN, m);
                      return json.substring(0, Math.min(cut, json.length()));
                    })),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().all().ofMaxLength(300)),
        net.jqwik.api.Tuple.of(
            1,
            Arbitraries.integers()
                .between(1, 3000)
                .map(d -> "{\"text\":" + "[".repeat(d) + "\"x\"" + "]".repeat(d) + "}")),
        net.jqwik.api.Tuple.of(
            1,
            Arbitraries.integers()
                .between(60_000, 70_000)
                .map(n -> "{\"text\":\"" + "w".repeat(n) + "\"}")));
  }

  private Arbitrary<Map<String, Object>> shapedBodies() {
    Arbitrary<Object> text =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(
                4, Arbitraries.strings().all().ofMaxLength(40).map(s -> (Object) s)),
            net.jqwik.api.Tuple.of(
                2,
                Arbitraries.of("Hello.", "مرحبا", "שלום", "Tiếng Việt", "🎉🔊", "e\u0301", "日本語")
                    .map(s -> (Object) s)),
            net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofLength(5001).map(s -> (Object) s)),
            net.jqwik.api.Tuple.of(1, odd()));
    Arbitrary<Object> voice =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(5, Arbitraries.just((Object) MarkerEngine.VOICE)),
            net.jqwik.api.Tuple.of(
                2, Arbitraries.strings().all().ofMaxLength(30).map(s -> (Object) s)),
            net.jqwik.api.Tuple.of(1, odd()));
    Arbitrary<Map<String, Object>> settings =
        Combinators.combine(
                Arbitraries.oneOf(
                    Arbitraries.of("en-US", "vi", "", "xx-YY").map(s -> (Object) s), odd()),
                voice,
                number(),
                number())
            .as(
                (language, v, speed, pitch) -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("voice", v);
                  if (!MarkerEngine.VOICE.equals(v)) {
                    m.put("language", language);
                  }
                  m.put("speed", speed);
                  m.put("pitch", pitch);
                  return m;
                });
    return Combinators.combine(
            text,
            mostly(settings.map(s -> (Object) s)),
            Arbitraries.oneOf(
                Arbitraries.of("wav", "mp3", "ogg", "pcm", "flac").map(s -> (Object) s), odd()),
            mostly(Arbitraries.of("high", "normal", "low").map(s -> (Object) s)),
            Arbitraries.oneOf(
                Arbitraries.of(8000, 16000, 22050, 48000, 7).map(s -> (Object) s), odd()),
            Arbitraries.oneOf(Arbitraries.just((Object) null), odd()),
            Arbitraries.integers().between(0, 127))
        .as(
            (t, s, format, priority, rate, userId, mask) -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("text", t);
              body.put("voice_settings", s);
              if ((mask & 1) != 0) body.put("format", format);
              if ((mask & 2) != 0) body.put("priority", priority);
              if ((mask & 4) != 0) body.put("sample_rate", rate);
              if ((mask & 8) != 0) body.put("user_id", userId);
              if ((mask & 16) != 0 && (mask & 64) != 0) body.remove("text");
              if ((mask & 32) != 0) body.put("unexpected_" + mask, List.of(1, "two", Map.of()));
              return body;
            });
  }

  /** Values of the wrong type or shape. */
  private Arbitrary<Object> odd() {
    return Arbitraries.oneOf(
        Arbitraries.just(null),
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.strings().all().ofMaxLength(20).list().ofMaxSize(3).map(l -> (Object) l),
        Arbitraries.just((Object) Map.of("nested", Map.of("deeper", List.of()))),
        Arbitraries.strings()
            .withChars('\u0000', '\ud800', '\udfff', '\u202e', '\ufeff', '\u0007')
            .ofMaxLength(10)
            .map(s -> (Object) s));
  }

  private Arbitrary<Object> number() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.doubles().between(0.5, 2.0).map(d -> (Object) d)),
        net.jqwik.api.Tuple.of(
            1,
            Arbitraries.oneOf(
                Arbitraries.doubles().between(-1e9, 1e9).map(d -> (Object) d),
                Arbitraries.of(0.5, 1.0, 2.0, -12.0, 12.0, 0.0).map(d -> (Object) d),
                Arbitraries.just((Object) "1.0"),
                Arbitraries.just((Object) 1e308))));
  }

  private static Arbitrary<String> printable(int min, int max) {
    return Arbitraries.strings().withCharRange('!', '~').ofMinLength(min).ofMaxLength(max);
  }

  private static String write(JsonMapper mapper, Map<String, Object> body) {
    return mapper.writeValueAsString(body);
  }

  private static void header(HttpRequest.Builder request, String name, String value) {
    if (value != null) {
      request.header(name, value);
    }
  }

  private static HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return HTTP.send(request.build(), BodyHandlers.ofString());
  }

  private static long rows() {
    return jdbc.sql("SELECT count(*) FROM requests WHERE user_id = ?")
        .param(userId)
        .query(Long.class)
        .single();
  }

  private static String describe(Call call, HttpResponse<String> response) {
    String body = call.body();
    return response.statusCode()
        + " "
        + response.body()
        + " for "
        + (body.length() > 300 ? body.substring(0, 300) + "..." : body)
        + " ct="
        + call.contentType()
        + " idem="
        + call.idem();
  }
}
