package dev.ttsapi.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Compose file in deploy/compose goes through {@code docker compose config} (Compose v2, or
 * Debian's docker-compose 1.29, which validates against the Compose schema: an unknown key or a
 * wrong type fails), with .env.example's values; then the resolved configuration is checked against
 * the design document's topology and the service. Skipped where neither is installed (.ci/run
 * installs docker-compose).
 */
class ComposeConfigTest {

  private static final Path DIR = Path.of("deploy/compose");
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final Set<String> ROLES = Set.of("api", "worker", "maintenance");

  private static JsonNode services;

  @BeforeAll
  static void resolveEveryComposeFile() throws Exception {
    List<String> compose = composeCommand();
    assumeTrue(compose != null, "neither docker compose nor docker-compose is installed");
    List<Path> files;
    try (Stream<Path> list = Files.list(DIR)) {
      files = list.filter(f -> f.getFileName().toString().matches("compose.*\\.ya?ml")).toList();
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      JsonNode config = config(compose, file);
      if (file.getFileName().toString().equals("compose.yaml")) {
        services = config.path("services");
      }
    }
    assertThat(services).as("compose.yaml resolved").isNotNull();
  }

  private static List<String> composeCommand() throws Exception {
    if (runs(List.of("docker", "compose", "version"))) {
      return List.of("docker", "compose");
    }
    if (runs(List.of("docker-compose", "version"))) {
      return List.of("docker-compose");
    }
    return null;
  }

  private static boolean runs(List<String> command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static JsonNode config(List<String> compose, Path file) throws Exception {
    List<String> command = new ArrayList<>(compose);
    command.addAll(
        List.of("--env-file", DIR.resolve(".env.example").toString(), "-f", file.toString()));
    command.add("config");
    Path err = Files.createTempFile("compose", ".err");
    Process p =
        new ProcessBuilder(command).redirectError(err.toFile()).directory(new File(".")).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(file + ": " + Files.readString(err)).isZero();
    Files.delete(err);
    return YAML.readTree(out);
  }

  @Test
  void the_design_documents_topology_with_its_limits() {
    assertThat(names(services))
        .contains(
            "nginx",
            "api",
            "worker",
            "maintenance",
            "postgres-primary",
            "postgres-replica",
            "pgbouncer",
            "minio",
            "minio-init",
            "prometheus",
            "grafana");
    assertThat(names(services)).filteredOn(n -> n.matches("redis-\\d")).hasSize(3);
    assertThat(names(services)).filteredOn(n -> n.matches("redis-sentinel-\\d")).hasSize(3);

    assertThat(services.path("api").path("deploy").path("replicas").asInt()).isEqualTo(4);
    assertThat(services.path("worker").path("deploy").path("replicas").asInt()).isEqualTo(3);
    assertThat(services.path("maintenance").path("deploy").path("replicas").asInt()).isEqualTo(1);
    for (String role : List.of("api", "worker")) {
      JsonNode resources = services.path(role).path("deploy").path("resources");
      assertThat(resources.path("limits").path("cpus").asDouble()).as(role).isEqualTo(1.0);
      assertThat(bytes(resources.path("limits").path("memory"))).as(role).isEqualTo(2L << 30);
      assertThat(resources.path("reservations").path("cpus").asDouble()).as(role).isEqualTo(0.5);
      assertThat(bytes(resources.path("reservations").path("memory"))).as(role).isEqualTo(1L << 30);
    }
  }

  @Test
  void every_node_runs_its_role_with_settings_the_service_reads_and_stops_in_time() {
    for (String role : ROLES) {
      JsonNode service = services.path(role);
      assertThat(service.path("command").get(0).asText()).isEqualTo("--roles=" + role);
      Set<String> variables = names(service.path("environment"));
      assertThat(variables)
          .contains("DATABASE_URL", "REDIS_URL", "AUDIO_STORE_URL", "MANAGEMENT_PORT");
      assertThat(variables)
          .as(role + ": variables the service reads")
          .allMatch(ServiceFacts::readsEnvironmentVariable);
      assertThat(goDuration(service.path("stop_grace_period").asText()))
          .as(role + ": stop_grace_period covers the drain window and the shutdown phase")
          .isGreaterThan(ServiceFacts.drainWindow().plus(ServiceFacts.shutdownPhaseTimeout()));
      assertThat(service.path("healthcheck").path("test").toString())
          .contains("/usr/local/bin/tts-healthcheck");
    }
    assertThat(ServiceFacts.read(Path.of("Dockerfile")))
        .contains("COPY deploy/image/tts-healthcheck /usr/local/bin/tts-healthcheck");
  }

  @Test
  void the_stores_are_the_ones_the_service_is_pointed_at() {
    JsonNode env = services.path("api").path("environment");
    URI database = URI.create(env.path("DATABASE_URL").asText());
    assertThat(database.getHost()).isEqualTo("pgbouncer");
    // Transaction pooling carries no server-side prepared statements.
    assertThat(database.getQuery()).contains("prepareThreshold=0");
    String ini = ServiceFacts.read(DIR.resolve("pgbouncer/pgbouncer.ini"));
    assertThat(ini).containsPattern("(?m)^pool_mode = transaction$");
    assertThat(URI.create(env.path("DATABASE_REPLICA_URLS").asText()).getHost())
        .isEqualTo("postgres-replica");

    // Audio in the MinIO bucket that minio-init makes.
    URI bucket = URI.create(env.path("AUDIO_STORE_URL").asText());
    assertThat(bucket.getScheme()).isEqualTo("s3");
    assertThat(URI.create(env.path("TTS_AUDIOSTORE_ENDPOINT").asText()).getHost())
        .isEqualTo("minio");
    assertThat(services.path("minio-init").path("command").toString())
        .contains("mc mb --ignore-existing store/" + bucket.getHost());

    // redis-sentinel://s1:26379,s2:26379/0#tts: Sentinels that are services, watching "tts".
    Matcher sentinel =
        Pattern.compile("redis-sentinel://([^/]+)/\\d+#(\\w+)")
            .matcher(env.path("REDIS_URL").asText());
    assertThat(sentinel.matches()).isTrue();
    for (String hostPort : sentinel.group(1).split(",")) {
      assertThat(names(services)).contains(hostPort.split(":")[0]);
    }
    String sentinelCommand = services.path("redis-sentinel-1").path("command").toString();
    assertThat(sentinelCommand).contains("sentinel monitor " + sentinel.group(2) + " redis-1 6379");
    // What the README asks of production Redis.
    for (String node : List.of("redis-1", "redis-2", "redis-3")) {
      String command = services.path(node).path("command").toString();
      assertThat(command).contains("\"--appendonly\",\"yes\"").contains("\"noeviction\"");
    }
  }

  @Test
  void nginx_prometheus_and_grafana_use_the_shipped_files() throws IOException {
    assertThat(bindSources(services.path("nginx")))
        .contains(
            Path.of("deploy/nginx/nginx.conf").toAbsolutePath().toString(),
            Path.of("deploy/nginx/upstream.conf").toAbsolutePath().toString());
    String upstream = ServiceFacts.read(Path.of("deploy/nginx/upstream.conf"));
    assertThat(upstream).contains("server api:" + ServiceFacts.serverPort() + " ");

    assertThat(bindSources(services.path("prometheus")))
        .contains(Path.of("ops/prometheus/alerts.yml").toAbsolutePath().toString());
    JsonNode prometheus = YAML.readTree(DIR.resolve("prometheus/prometheus.yml").toFile());
    JsonNode job = prometheus.path("scrape_configs").get(0);
    // The shipped alerts look for job="tts-api".
    assertThat(job.path("job_name").asText()).isEqualTo("tts-api");
    assertThat(job.path("metrics_path").asText()).isEqualTo("/metrics");
    // MonitoredMetricsTest scrapes this path on a running node.
    JsonNode discovery = job.path("dns_sd_configs").get(0);
    assertThat(names(discovery.path("names"))).isEqualTo(ROLES);
    int port = ServiceFacts.metricsPort(envOf(services.path("api")));
    assertThat(discovery.path("port").asInt()).isEqualTo(port);
    assertThat(prometheus.path("rule_files").get(0).asText())
        .isEqualTo("/etc/prometheus/alerts.yml");

    assertThat(bindSources(services.path("grafana")))
        .contains(Path.of("ops/grafana/tts-api-dashboard.json").toAbsolutePath().toString());
    for (String role : ROLES) {
      for (String source : bindSources(services.path(role))) {
        assertThat(Path.of(source)).exists();
      }
    }
    for (JsonNode service : services) {
      for (String source : bindSources(service)) {
        assertThat(Path.of(source)).as("bind mount source").exists();
      }
    }
  }

  // --- helpers ---

  private static Set<String> names(JsonNode node) {
    Set<String> names = new HashSet<>();
    if (node.isArray()) {
      node.forEach(n -> names.add(n.asText()));
    } else {
      node.fieldNames().forEachRemaining(names::add);
    }
    return names;
  }

  private static Map<String, String> envOf(JsonNode service) {
    Map<String, String> env = new java.util.HashMap<>();
    service
        .path("environment")
        .fields()
        .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    return env;
  }

  /** Volumes in either syntax: "source:target[:mode]" or {type, source, target}. */
  private static List<String[]> volumes(JsonNode service) {
    List<String[]> volumes = new ArrayList<>();
    for (JsonNode v : service.path("volumes")) {
      if (v.isTextual()) {
        String[] parts = v.asText().split(":");
        volumes.add(new String[] {parts[0], parts[1]});
      } else {
        volumes.add(new String[] {v.path("source").asText(), v.path("target").asText()});
      }
    }
    return volumes;
  }

  private static List<String> bindSources(JsonNode service) {
    return volumes(service).stream().map(v -> v[0]).filter(s -> s.startsWith("/")).toList();
  }

  /** Compose memory: "2G" (docker-compose 1) or bytes (Compose v2). */
  private static long bytes(JsonNode value) {
    String text = value.asText().trim().toLowerCase();
    Matcher m = Pattern.compile("(\\d+)([kmg]?)b?").matcher(text);
    assertThat(m.matches()).as(text).isTrue();
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "k" -> n << 10;
      case "m" -> n << 20;
      case "g" -> n << 30;
      default -> n;
    };
  }

  /** Go durations as Compose prints them: 60s, 1m0s, 2m. */
  private static Duration goDuration(String text) {
    Matcher m = Pattern.compile("(\\d+)(h|ms|m|s)").matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      assertThat(m.start()).as(text).isEqualTo(end);
      end = m.end();
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "ms" -> Duration.ofMillis(n);
                default -> Duration.ofSeconds(n);
              });
    }
    assertThat(end).as(text).isEqualTo(text.length()).isPositive();
    return total;
  }
}
