package dev.ttsapi.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ttsapi.TtsApiApplication;
import dev.ttsapi.support.TestStores;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts the service as its own process with {@code LOG_FORMAT=json} and reads what it prints:
 * every line is one JSON object, and an access-log line carries the request id from the MDC.
 */
class JsonLogsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

  @Test
  void with_log_format_json_every_line_is_a_json_object_with_the_request_id() throws Exception {
    assumeTrue(
        TestStores.reachable(5432) && TestStores.reachable(TestStores.REDIS_PORT),
        "no local stores");
    TestStores.createDatabaseIfMissing(TestStores.DATABASE);
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                TtsApiApplication.class.getName(),
                "--roles=api",
                "--server.port=0",
                // stopped with SIGTERM once read: no drain window to wait out (as in pom.xml)
                "--tts.observability.drain-window=0s",
                "--tts.stores.data-dir=target/json-logs-data",
                "--tts.stores.database-url=postgresql://postgres@127.0.0.1:5432/"
                    + TestStores.DATABASE,
                "--tts.stores.redis-url=" + TestStores.redisUrl())
            .redirectErrorStream(true);
    builder.environment().put("LOG_FORMAT", "json");
    Process app = builder.start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
      String port = null;
      String line;
      while ((line = out.readLine()) != null) {
        if (!line.startsWith("{")) {
          continue; // the JVM's own warnings, printed before logging starts
        }
        lines.add(line);
        JsonNode entry = JSON.readTree(line);
        String message = entry.path("message").asString("");
        Matcher m = PORT.matcher(message);
        if (port == null && m.find()) {
          port = m.group(1);
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                      .header("X-Request-Id", "json-log-test")
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
        }
        if ("tts.access".equals(entry.path("log").path("logger").asString(null))
            && message.contains("GET /health")) {
          assertThat(line).contains("\"request_id\":\"json-log-test\"");
          break;
        }
      }
      assertThat(port).as("the service started: %s", lines).isNotNull();
    } finally {
      app.destroy();
      if (!app.waitFor(30, TimeUnit.SECONDS)) {
        app.destroyForcibly();
      }
    }
    assertThat(lines)
        .isNotEmpty()
        .allSatisfy(l -> assertThat(JSON.readTree(l).has("@timestamp")).isTrue());
  }
}
