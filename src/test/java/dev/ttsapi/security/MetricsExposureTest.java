package dev.ttsapi.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.stores.DatabaseEndpoint;
import dev.ttsapi.stores.RedisEndpoint;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import io.lettuce.core.RedisURI;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * What {@code /metrics} shows and to whom: with {@code MANAGEMENT_PORT} set it and {@code
 * /actuator} answer only there; no client can make it grow beyond a bound; no label names a store's
 * address or credentials.
 */
@TestPropertySource(properties = "management.server.port=0")
class MetricsExposureTest extends IntegrationTest {

  /** Most a sweep of every endpoint, method and missing or wrong key may add to the scrape. */
  private static final int SWEEP_GROWTH_BOUND = 128 * 1024;

  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  @LocalManagementPort int managementPort;

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  @Autowired RedisEndpoint redisEndpoint;
  @Autowired DatabaseEndpoint database;

  @Test
  void with_a_management_port_metrics_and_actuator_answer_only_there() {
    TestUser user = newUser("metrics-port", Caller.Role.USER);
    ApiClient management = new ApiClient(managementPort);

    for (String path :
        List.of(
            "/metrics",
            "/actuator",
            "/actuator/prometheus",
            "/actuator/health",
            "/actuator/info")) {
      assertThat(api.get(path, null).status()).as("main port %s", path).isEqualTo(404);
    }
    ApiClient.Response metrics = management.get("/metrics", null);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.header("Content-Type")).startsWith("text/plain");
    assertThat(metrics.text()).contains("tts_queue_length{").contains("http_server_requests");
    assertThat(management.get("/actuator/prometheus", null).status()).isEqualTo(200);
    assertThat(management.get("/actuator/health", null).status()).isEqualTo(200);
    // Load balancers and orchestrators probe the main port, as before.
    assertThat(api.get("/health", null).status()).isEqualTo(200);
    assertThat(api.get("/health/live", null).status()).isEqualTo(200);
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> api.get("/health/ready", null).status() == 200);
    assertThat(api.get("/health/detailed", null).status()).isEqualTo(401);
    // And the API is not on the management port.
    assertThat(management.get("/health/ready", null).status()).isEqualTo(404);
    assertThat(api.get("/tts/voices", user.key()).status()).isEqualTo(200);
    assertThat(management.get("/tts/voices", user.key()).status()).isEqualTo(404);
  }

  @Test
  void no_client_can_grow_the_metrics_beyond_a_bound() {
    TestUser user = newUser("metrics-hostile", Caller.Role.USER);
    // What a well-behaved client does, once: those series exist from now on.
    String id =
        api.post("/tts/request", user.key(), Payloads.submit("Counted once.", "wav"))
            .json()
            .path("request_id")
            .asString();
    awaitStatus(user.key(), id, "completed");
    api.get("/tts/voices", user.key());
    String before = scrape();

    // Every endpoint with every method, without a key and with a wrong one, and the usual bad
    // submits: every combination of path, method and status a client can pick.
    for (String pattern : endpointPatterns()) {
      for (String method :
          List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "BREW")) {
        String path = pattern.replaceAll("\\{[^}]*}", random());
        send(method, path, null);
        send(method, path, "tts_" + random());
      }
    }
    hostileSubmits(user.key());
    String afterSweep = scrape();

    assertThat(afterSweep.length() - before.length())
        .as(
            "bytes the sweep added to /metrics (%s series before, %s after)",
            series(before).size(), series(afterSweep).size())
        .isLessThan(SWEEP_GROWTH_BOUND);

    // The values a client makes up (paths, ids, voices, methods, keys) make no series of their
    // own: 2,000 more such requests add none.
    Set<String> series = series(afterSweep);
    for (int i = 0; i < 250; i++) {
      send("GET", "/" + random(), null);
      send("GET", "/tts/" + random(), user.key());
      send("GET", "/tts/status/" + UUID.randomUUID(), user.key());
      send("GET", "/static/" + random() + ".js", null);
      send("X" + random().substring(0, 6).toUpperCase(), "/tts/voices", null);
      send("DELETE", "/tts/request/" + UUID.randomUUID(), "tts_" + random());
      api.post("/tts/request", user.key(), Payloads.submit("hi", "voice-" + random(), "normal"));
      api.post(
          "/v1/audio/speech",
          user.key(),
          "{\"model\":\"" + random() + "\",\"voice\":\"" + random() + "\",\"input\":\"x\"}");
    }
    assertThat(series(scrape())).isEqualTo(series);
  }

  @Test
  void no_label_names_a_store_address_or_credentials() {
    TestUser user = newUser("metrics-labels", Caller.Role.USER);
    String id =
        api.post("/tts/request", user.key(), Payloads.submit("Redis and PostgreSQL.", "wav"))
            .json()
            .path("request_id")
            .asString();
    awaitStatus(user.key(), id, "completed");

    List<String> forbidden = new ArrayList<>();
    RedisURI redisUri = RedisURI.create(redisEndpoint.url());
    forbidden.add(":" + redisUri.getPort());
    forbidden.add(String.valueOf(redisUri.getPort()));
    int databasePort = URI.create(database.jdbcUrl().substring("jdbc:".length())).getPort();
    forbidden.add(":" + databasePort);
    forbidden.add(String.valueOf(databasePort));
    forbidden.addAll(List.of("redis://", "rediss://", "jdbc:", "postgresql://", "postgres://"));
    if (redisUri.getPassword() != null && redisUri.getPassword().length > 0) {
      forbidden.add(new String(redisUri.getPassword()));
    }
    if (database.password() != null && !database.password().isEmpty()) {
      forbidden.add(database.password());
    }

    List<String> values = labelValues(scrape());

    assertThat(values).isNotEmpty();
    for (String value : values) {
      assertThat(value).doesNotContain(forbidden);
    }
  }

  /** The Prometheus text, from the management port (/actuator/prometheus is the same). */
  private String scrape() {
    ApiClient.Response response = new ApiClient(managementPort).get("/actuator/prometheus", null);
    assertThat(response.status()).isEqualTo(200);
    return response.text();
  }

  /** Every path pattern the API serves, read from Spring MVC itself. */
  private Set<String> endpointPatterns() {
    Set<String> patterns = new TreeSet<>();
    mappings.getHandlerMethods().keySet().forEach(info -> patterns.addAll(info.getPatternValues()));
    assertThat(patterns).contains("/tts/request", "/tts/status/{id}", "/v1/audio/speech");
    return patterns;
  }

  private void hostileSubmits(String key) {
    String[] bodies = {
      "",
      "{",
      "[]",
      "null",
      "{\"text\":\"x\",\"voice_settings\":{\"voice\":\"nobody:" + random() + "\"}}",
      "{\"text\":\"x\",\"voice_settings\":{\"language\":\"" + random() + "\"}}",
      "{\"text\":\"x\",\"priority\":\"" + random() + "\"}",
      "{\"text\":\"x\",\"format\":\"" + random() + "\"}",
      "{\"text\":\"" + "x".repeat(6000) + "\"}",
      "{\"text\":\"x\",\"voice_settings\":{\"speed\":\"fast\"}}"
    };
    for (String body : bodies) {
      api.post("/tts/request", key, body);
      api.post("/tts/request", key, body, "text/plain");
      api.post("/v1/audio/speech", key, body);
    }
  }

  private void send(String method, String path, String key) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api.base() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    api.send(request);
  }

  /** One line per series: name and labels, without the value (and without histogram buckets). */
  private static Set<String> series(String metrics) {
    Set<String> series = new TreeSet<>();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("http_") || line.startsWith("tts_")) {
        series.add(line.substring(0, line.lastIndexOf(' ')).replaceAll(",?le=\"[^\"]*\"", ""));
      }
    }
    return series;
  }

  /** Every label value of every sample, but bucket bounds. */
  private static List<String> labelValues(String metrics) {
    List<String> values = new ArrayList<>();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      Matcher label = LABEL.matcher(line);
      while (label.find()) {
        if (!label.group(1).equals("le") && !label.group(1).equals("quantile")) {
          values.add(label.group(1) + "=" + label.group(2));
        }
      }
    }
    return values;
  }

  private static String random() {
    return UUID.randomUUID().toString().replace("-", "");
  }
}
