package dev.ttsapi.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.TtsApiApplication;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.fuzz.ApiInputs.Call;
import dev.ttsapi.support.FuzzRandom;
import dev.ttsapi.support.Problems;
import dev.ttsapi.support.TestEngines;
import dev.ttsapi.support.TestStores;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Throws thousands of generated bodies, headers and paths (see {@link ApiInputs}) at the running
 * service over real HTTP and checks what must always hold: no 5xx; a refused call writes nothing
 * and is a problem with one of our type URIs; every accepted request ends up finished (none left
 * stuck). The inputs come from one seed per run, logged at the start of each test and named in
 * every assertion message: {@code -Dtts.test.fuzz-seed=<n>} replays them. The service is started
 * once for the class against the same stores as the other integration tests, with the test engines,
 * so accepted requests are spoken fast by the marker engine; the generated calls pile up in its
 * database, hence the row counts before and after each.
 */
class ApiFuzzTest {

  private static final Logger log = LoggerFactory.getLogger(ApiFuzzTest.class);

  /** Enough that each rare kind of input (about one in 15) is sent some hundred times. */
  private static final int SUBMISSIONS = 1500;

  private static final int READS = 700;

  private static final JsonMapper PLAIN = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static ConfigurableApplicationContext app;
  private static JdbcClient jdbc;
  private static String base;
  private static UUID userId;
  private static String key;
  private static String otherKey;

  @BeforeAll
  static void startService() {
    // Local stores when they answer, else the embedded ones other test contexts share.
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--tts.stores.data-dir=target/test-data",
                "--tts.ratelimit.requests-per-minute=1000000",
                "--tts.ratelimit.poll-requests-per-minute=1000000",
                // garbage keys are part of the inputs: the failed-login throttle would refuse
                // most calls after the first few and hide what lies behind authentication
                "--tts.ratelimit.failed-logins-per-minute=1000000",
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
    if (TestStores.reachable(TestStores.REDIS_PORT)) {
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

  @AfterAll
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
                      .as(
                          "accepted requests still unfinished ("
                              + FuzzRandom.forThisRun().replay()
                              + ")")
                      .isZero());
    } finally {
      app.close();
    }
  }

  @Test
  void a_submission_is_never_a_5xx_and_a_refused_one_writes_nothing() throws Exception {
    FuzzRandom random = FuzzRandom.forThisRun();
    log.info("Submissions from {}", random.replay());
    ApiInputs inputs = new ApiInputs(random, key, otherKey);
    Tally tally = new Tally();

    for (int i = 0; i < SUBMISSIONS; i++) {
      int attempt = i;
      Call call = inputs.call();
      tally.input(call.toString());
      long before = rows();
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(base + "/tts/request"))
              .timeout(Duration.ofSeconds(30))
              .POST(BodyPublishers.ofString(call.body(), StandardCharsets.UTF_8));
      header(request, "Content-Type", call.contentType());
      header(request, "Authorization", call.auth());
      header(request, "Idempotency-Key", call.idem());

      HttpResponse<String> response = send(request);

      tally.status(response.statusCode());
      Supplier<String> what =
          () -> random.replay() + " (submission " + attempt + "): " + describe(call, response);
      assertThat(response.statusCode()).as(what).isLessThan(500);
      long after = rows();
      if (response.statusCode() == 200) {
        assertThat(after).as(what).isBetween(before, before + 1);
      } else {
        assertThat(after).as(() -> "refused, yet written: " + what.get()).isEqualTo(before);
        assertProblem(response, what);
      }
    }
    tally.report("Submissions", random);
    assertThat(tally.statuses().keySet())
        .as(() -> random.replay() + ": the inputs reach both acceptance and refusal")
        .contains(200)
        .anyMatch(status -> status >= 400);
  }

  @Test
  void reading_odd_paths_and_queries_is_never_a_5xx() throws Exception {
    FuzzRandom random = FuzzRandom.forThisRun();
    log.info("Reads from {}", random.replay());
    ApiInputs inputs = new ApiInputs(random, key, otherKey);
    Tally tally = new Tally();

    for (int i = 0; i < READS; i++) {
      int attempt = i;
      String path = inputs.path();
      String auth = inputs.auth();
      tally.input(path + " " + auth);
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
      header(request, "Authorization", auth);

      HttpResponse<String> response = send(request);

      tally.status(response.statusCode());
      Supplier<String> what =
          () ->
              random.replay()
                  + " (read "
                  + attempt
                  + "): "
                  + path
                  + " -> "
                  + response.statusCode()
                  + " "
                  + response.body();
      assertThat(response.statusCode()).as(what).isLessThan(500);
      if (response.statusCode() >= 400) {
        assertProblem(response, what);
      }
    }
    tally.report("Reads", random);
  }

  /** A refusal is an RFC 9457 problem with one of our stable type URIs. */
  private static void assertProblem(HttpResponse<String> response, Supplier<String> what) {
    assertThat(response.headers().firstValue("Content-Type"))
        .as(what)
        .hasValueSatisfying(
            type -> assertThat(type).as(what).startsWith("application/problem+json"));
    assertThat(PLAIN.readTree(response.body()).path("type").asString())
        .as(what)
        .startsWith(Problems.TYPES);
  }

  /**
   * The statuses seen, and a fingerprint of the inputs sent: the same seed must print the same
   * fingerprint (the API keys, new each run, are left out).
   */
  private static final class Tally {
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private final MessageDigest inputs = sha256();

    void input(String input) {
      String stable = input.replace(key, "<key>").replace(otherKey, "<other key>");
      inputs.update(stable.getBytes(StandardCharsets.UTF_16BE));
    }

    void status(int status) {
      statuses.merge(status, 1, Integer::sum);
    }

    Map<Integer, Integer> statuses() {
      return statuses;
    }

    void report(String what, FuzzRandom random) {
      log.info(
          "{} from {}: inputs fingerprint {}, statuses {}",
          what,
          random.replay(),
          HexFormat.of().formatHex(inputs.digest(), 0, 8),
          statuses);
    }

    private static MessageDigest sha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
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
