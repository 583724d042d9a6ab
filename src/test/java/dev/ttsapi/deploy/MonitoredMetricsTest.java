package dev.ttsapi.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every metric a shipped query names — the alert rules, the dashboard, and any PromQL in the
 * deployment files — is one this service exports: a rule on a metric that does not exist evaluates
 * to nothing and never fires, which promtool cannot tell. The names are taken from a real scrape of
 * /metrics after a request has gone through.
 */
class MonitoredMetricsTest extends IntegrationTest {

  private static final ObjectMapper YAML = new YAMLMapper();

  /** Made by Prometheus itself for each target. */
  private static final Set<String> FROM_PROMETHEUS = Set.of("up");

  private static final Set<String> KEYWORDS =
      Set.of(
          "and", "or", "unless", "offset", "bool", "by", "without", "on", "ignoring", "inf", "nan");

  @Test
  void every_metric_the_shipped_rules_dashboard_and_deployments_query_is_exported()
      throws IOException {
    TestUser user = newUser("monitoring", Caller.Role.USER);
    String id =
        api.post("/tts/request", user.key(), Payloads.submit("Counted in the metrics.", "wav"))
            .json()
            .path("request_id")
            .asString();
    awaitStatus(user.key(), id, "completed");
    Set<String> exported = exported(api.get("/metrics", null).text());
    exported.addAll(registeredInCode());

    Map<String, String> queries = shippedQueries();
    assertThat(queries).hasSizeGreaterThan(20);
    List<String> missing = new ArrayList<>();
    queries.forEach(
        (where, query) -> {
          for (String name : metricNames(query)) {
            if (!exported.contains(name) && !FROM_PROMETHEUS.contains(name)) {
              missing.add(name + " (" + where + ")");
            }
          }
        });
    assertThat(missing).as("metrics queried but not exported").isEmpty();
  }

  /** The path the deployment files scrape (on the management port when they set one). */
  @Test
  void the_path_the_deployments_scrape_serves_prometheus_text() throws IOException {
    Set<String> paths = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Path.of("deploy"))) {
      for (Path file : files.filter(f -> f.toString().matches(".*\\.ya?ml")).toList()) {
        Matcher m =
            Pattern.compile("(?:prometheus\\.io/path|metrics_path): *(\\S+)")
                .matcher(Files.readString(file));
        while (m.find()) {
          paths.add(m.group(1));
        }
      }
    }
    assertThat(paths).isNotEmpty();
    for (String path : paths) {
      var response = api.get(path, null);
      assertThat(response.status()).as(path).isEqualTo(200);
      assertThat(response.header("Content-Type")).as(path).startsWith("text/plain");
      assertThat(response.text()).as(path).contains("tts_queue_length{");
    }
  }

  @Test
  void metric_names_are_read_out_of_promql() {
    assertThat(
            metricNames(
                "histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket"
                    + "{uri!~\"/admin/profile|/tts/audio/.*\"}[5m]))) > 1"))
        .containsExactly("http_server_requests_seconds_bucket");
    assertThat(
            metricNames(
                "sum(tts_worker_slots) < sum(tts_worker_slots offset 1h) or absent(up) and"
                    + " clamp_min(sum(rate(tts_requests_total{status=~\"completed|failed\"}[10m])),"
                    + " 1e-9) > 0.05"))
        .containsExactlyInAnyOrder("tts_worker_slots", "up", "tts_requests_total");
  }

  /** Sample names in Prometheus text format (histogram _bucket/_count/_sum lines included). */
  private static Set<String> exported(String text) {
    Set<String> names = new TreeSet<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  /**
   * The Prometheus names of the service's own meters, from their builders in the code:
   * Counter.builder("tts.requests.rejected") is tts_requests_rejected_total.
   */
  private static Set<String> registeredInCode() throws IOException {
    Pattern builder =
        Pattern.compile("(Counter|Gauge|Timer|DistributionSummary)\\.builder\\(\\s*\"([a-z.]+)\"");
    Set<String> names = new TreeSet<>();
    try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
      for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = builder.matcher(Files.readString(source));
        while (m.find()) {
          String base = m.group(2).replace('.', '_');
          switch (m.group(1)) {
            case "Counter" -> names.add(base + "_total");
            case "Gauge" -> names.add(base);
            case "Timer" -> {
              for (String suffix : List.of("_count", "_sum", "_max", "_bucket")) {
                names.add(base + "_seconds" + suffix);
              }
            }
            default -> {
              for (String suffix : List.of("_count", "_sum", "_max", "_bucket")) {
                names.add(base + suffix);
              }
            }
          }
        }
      }
    }
    assertThat(names).contains("tts_queue_length", "tts_requests_total");
    return names;
  }

  /** Each shipped PromQL expression, by where it is. */
  private static Map<String, String> shippedQueries() throws IOException {
    Map<String, String> queries = new LinkedHashMap<>();
    JsonNode alerts = YAML.readTree(Path.of("ops/prometheus/alerts.yml").toFile());
    for (JsonNode group : alerts.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        queries.put("alert " + rule.path("alert").asText(), rule.path("expr").asText());
      }
    }
    JsonNode dashboard = YAML.readTree(Path.of("ops/grafana/tts-api-dashboard.json").toFile());
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queries.put(
            "panel " + panel.path("title").asText() + " " + target.path("refId").asText(),
            target.path("expr").asText());
      }
    }
    // PromQL in the deployment files: KEDA prometheus triggers, HPA external metrics, rules.
    try (Stream<Path> files = Files.walk(Path.of("deploy"))) {
      for (Path file : files.filter(f -> f.toString().matches(".*\\.ya?ml")).toList()) {
        for (JsonNode doc :
            YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile()).readAll()) {
          collect(doc, file.toString(), queries);
        }
      }
    }
    return queries;
  }

  private static void collect(JsonNode node, String where, Map<String, String> queries) {
    if (node == null) {
      return;
    }
    node.fields()
        .forEachRemaining(
            e -> {
              if ((e.getKey().equals("expr") || e.getKey().equals("query"))
                  && e.getValue().isTextual()) {
                queries.put(where + " " + e.getKey(), e.getValue().asText());
              } else if (e.getKey().equals("metric") && e.getValue().has("name")) {
                queries.put(where + " metric", e.getValue().path("name").asText());
              }
              collect(e.getValue(), where, queries);
            });
    if (node.isArray()) {
      node.forEach(n -> collect(n, where, queries));
    }
  }

  /**
   * The metric names in a PromQL expression: identifiers that are not functions (followed by a
   * parenthesis), keywords, label names (in braces or by/without lists), durations or numbers.
   */
  static Set<String> metricNames(String query) {
    String s = query.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
    s = s.replaceAll("\\{[^}]*}", " ");
    s = s.replaceAll("\\[[^]]*]", " ");
    s = s.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(s);
    while (m.find()) {
      String token = m.group();
      boolean afterNumber = m.start() > 0 && Character.isLetterOrDigit(s.charAt(m.start() - 1));
      boolean function = s.substring(m.end()).stripLeading().startsWith("(");
      if (!afterNumber && !function && !KEYWORDS.contains(token.toLowerCase())) {
        names.add(token);
      }
    }
    return names;
  }
}
