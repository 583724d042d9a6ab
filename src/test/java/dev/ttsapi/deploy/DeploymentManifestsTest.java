package dev.ttsapi.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.queue.QueueKeys;
import dev.ttsapi.queue.QueuePartition;
import dev.ttsapi.queue.QueuePartitions;
import io.fabric8.kubernetes.api.model.ConfigMapEnvSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s parsed strictly with the fabric8 Kubernetes model (an unknown field or a wrong type
 * fails), KEDA's ScaledObject and the kustomization checked by hand against their documented
 * fields, then everything checked against the service: ports, probe paths, environment variables,
 * shutdown times, queue names, the image's user.
 */
class DeploymentManifestsTest {

  private static final Path DIR = Path.of("deploy/k8s");
  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.of(
          "Deployment", Deployment.class,
          "Service", Service.class,
          "PodDisruptionBudget", PodDisruptionBudget.class,
          "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
          "Ingress", Ingress.class,
          "Namespace", Namespace.class,
          "PersistentVolumeClaim", PersistentVolumeClaim.class);

  /**
   * Unknown properties land in fabric8's additionalProperties (checked below); types are strict.
   */
  static final ObjectMapper STRICT =
      YAMLMapper.builder(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .build();

  private static final List<HasMetadata> objects = new ArrayList<>();
  private static final List<JsonNode> scaledObjects = new ArrayList<>();
  private static JsonNode kustomization;

  @BeforeAll
  static void parseEveryManifest() throws IOException {
    kustomization = STRICT.readTree(DIR.resolve("kustomization.yaml").toFile());
    for (Path file : manifests()) {
      for (JsonNode doc :
          STRICT.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile()).readAll()) {
        if (doc == null || doc.isEmpty()) {
          continue;
        }
        String kind = doc.path("kind").asText();
        if (kind.equals("ScaledObject")) {
          scaledObjects.add(doc);
          continue;
        }
        Class<? extends HasMetadata> type = KINDS.get(kind);
        assertThat(type).as(file + ": a kind this test knows: " + kind).isNotNull();
        HasMetadata object = strictly(doc, type, file + " " + kind);
        assertThat(object.getApiVersion())
            .as(file + " " + kind + " apiVersion")
            .isEqualTo(HasMetadata.getApiVersion(type));
        objects.add(object);
      }
    }
  }

  /** The documents of every file the kustomization lists. */
  private static List<Path> manifests() {
    List<Path> files = new ArrayList<>();
    kustomization.path("resources").forEach(r -> files.add(DIR.resolve(r.asText())));
    return files;
  }

  static <T> T strictly(JsonNode doc, Class<T> type, String where) {
    T value;
    try {
      value = STRICT.treeToValue(doc, type);
    } catch (IOException e) {
      throw new AssertionError(where + ": " + e.getMessage(), e);
    }
    List<String> unknown = new ArrayList<>();
    unknownFields(value, "", unknown);
    assertThat(unknown).as(where + ": fields the Kubernetes API does not have").isEmpty();
    return value;
  }

  /** fabric8 keeps unknown fields in additionalProperties, which Kubernetes would refuse. */
  private static void unknownFields(Object value, String path, List<String> found) {
    if (value == null) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        unknownFields(item, path + "[" + i++ + "]", found);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownFields(v, path + "." + k, found));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get")
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object child;
      try {
        child = getter.invoke(value);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
          found.add(path + " " + extra.keySet());
        }
      } else {
        unknownFields(child, path + "." + getter.getName().substring(3), found);
      }
    }
  }

  @Test
  void every_manifest_is_a_valid_kubernetes_object_and_the_kustomization_lists_them_all()
      throws IOException {
    assertThat(kustomization.path("apiVersion").asText())
        .isEqualTo("kustomize.config.k8s.io/v1beta1");
    assertThat(kustomization.path("kind").asText()).isEqualTo("Kustomization");
    Set<String> fields = new HashSet<>();
    kustomization.fieldNames().forEachRemaining(fields::add);
    assertThat(fields)
        .isSubsetOf(
            "apiVersion",
            "kind",
            "namespace",
            "labels",
            "resources",
            "configMapGenerator",
            "secretGenerator",
            "images",
            "patches",
            "replicas");
    try (Stream<Path> files = Files.list(DIR)) {
      Set<Path> yaml =
          files
              .filter(f -> f.toString().endsWith(".yaml"))
              .filter(f -> !f.endsWith("kustomization.yaml"))
              .collect(Collectors.toSet());
      assertThat(manifests())
          .as("every manifest listed once")
          .containsExactlyInAnyOrderElementsOf(yaml);
    }
    assertThat(objects).extracting(HasMetadata::getKind).contains("Deployment", "Ingress");
    assertThat(scaledObjects).hasSize(1);
  }

  @Test
  void every_role_runs_with_probes_on_the_services_health_handlers_and_its_port() {
    Set<String> handlers = ServiceFacts.getPaths();
    assertThat(deployments())
        .extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrder("tts-api", "tts-worker", "tts-maintenance");
    Set<String> roles = new HashSet<>();
    for (Deployment deployment : deployments()) {
      Container c = container(deployment);
      String where = deployment.getMetadata().getName();
      roles.addAll(c.getArgs());
      Map<String, String> env = environment(c);

      int httpPort =
          env.containsKey("PORT") ? Integer.parseInt(env.get("PORT")) : ServiceFacts.serverPort();
      Map<String, Integer> ports = new HashMap<>();
      c.getPorts().forEach(p -> ports.put(p.getName(), p.getContainerPort()));
      assertThat(ports).as(where + " ports").containsEntry("http", httpPort);
      int metricsPort = ServiceFacts.metricsPort(env);
      if (metricsPort != httpPort) {
        assertThat(ports).as(where + " management port").containsEntry("management", metricsPort);
      }
      for (Probe probe :
          List.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())) {
        assertThat(probe).as(where + " probes").isNotNull();
        HTTPGetAction get = probe.getHttpGet();
        assertThat(handlers).as(where + " probe path").contains(get.getPath());
        assertThat(get.getPort().getStrVal()).isEqualTo("http");
      }
      assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
      assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");

      Map<String, String> annotations =
          deployment.getSpec().getTemplate().getMetadata().getAnnotations();
      assertThat(annotations.get("prometheus.io/path")).isEqualTo("/metrics");
      // MonitoredMetricsTest scrapes this path on a running node.
      assertThat(Integer.parseInt(annotations.get("prometheus.io/port")))
          .as(where + " scrape port")
          .isEqualTo(ServiceFacts.metricsPort(env));
    }
    assertThat(roles)
        .containsExactlyInAnyOrder("--roles=api", "--roles=worker", "--roles=maintenance");
  }

  @Test
  void every_environment_variable_set_is_one_the_service_reads() throws IOException {
    Map<String, String> set = new LinkedHashMap<>();
    for (Deployment deployment : deployments()) {
      set.putAll(environment(container(deployment)));
    }
    for (String key : secretKeys()) {
      set.put(key, "(secret)");
    }
    assertThat(set)
        .containsKeys(
            "DATABASE_URL", "REDIS_URL", "AUDIO_STORE_URL", "MANAGEMENT_PORT", "TTS_DATA_DIR");
    assertThat(set.keySet())
        .as("variables the service reads")
        .allMatch(ServiceFacts::readsEnvironmentVariable);
  }

  @Test
  void each_pod_stops_within_its_grace_period() {
    Duration phase = ServiceFacts.shutdownPhaseTimeout();
    assertThat(phase)
        .as("spring.lifecycle.timeout-per-shutdown-phase covers the worker's grace")
        .isGreaterThan(ServiceFacts.shutdownGrace());
    for (Deployment deployment : deployments()) {
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      Container c = container(deployment);
      long preStop = preStopSeconds(c);
      long drain = ServiceFacts.drainWindow().toSeconds();
      long grace = pod.getTerminationGracePeriodSeconds();
      assertThat(grace)
          .as(
              deployment.getMetadata().getName()
                  + ": preStop + drain window + shutdown phase + room")
          .isGreaterThanOrEqualTo(preStop + drain + phase.toSeconds() + 5)
          .isGreaterThanOrEqualTo(preStop + drain + ServiceFacts.shutdownGrace().toSeconds());
    }
    // Nodes behind the Service stay not-ready, still serving, while their endpoint goes: the
    // service's own drain window does it (no preStop sleep, which would add to it).
    assertThat(ServiceFacts.drainWindow()).isPositive();
    assertThat(preStopSeconds(container(deployment("tts-api")))).isZero();
  }

  @Test
  void pods_run_as_the_images_user_on_a_read_only_root_file_system() {
    long imageUser = imageUser();
    for (Deployment deployment : deployments()) {
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      Container c = container(deployment);
      String where = deployment.getMetadata().getName();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(where).isTrue();
      assertThat(pod.getSecurityContext().getRunAsUser()).as(where).isEqualTo(imageUser);
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(where).isTrue();
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(where).isFalse();
      assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      // What the service writes: temporary files, and the data directory it is told.
      Set<String> writable =
          c.getVolumeMounts().stream().map(VolumeMount::getMountPath).collect(Collectors.toSet());
      assertThat(writable).as(where).contains("/tmp", environment(c).get("TTS_DATA_DIR"));
    }
  }

  @Test
  void budgets_autoscalers_services_and_ingresses_point_at_what_exists() {
    for (PodDisruptionBudget pdb : ofKind(PodDisruptionBudget.class)) {
      assertThat(deployments())
          .as(pdb.getMetadata().getName() + " selects a deployment's pods")
          .anyMatch(d -> selects(pdb.getSpec().getSelector().getMatchLabels(), d));
    }
    assertThat(ofKind(PodDisruptionBudget.class)).hasSize(2);
    HorizontalPodAutoscaler hpa = ofKind(HorizontalPodAutoscaler.class).get(0);
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("tts-api");
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(4);

    Service service = ofKind(Service.class).get(0);
    assertThat(selects(service.getSpec().getSelector(), deployment("tts-api"))).isTrue();
    assertThat(service.getSpec().getPorts())
        .extracting(ServicePort::getName)
        .containsExactly("http");
    assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");

    Map<String, Ingress> ingresses = new HashMap<>();
    ofKind(Ingress.class).forEach(i -> ingresses.put(i.getMetadata().getName(), i));
    for (Ingress ingress : ingresses.values()) {
      for (HTTPIngressPath path : paths(ingress)) {
        assertThat(path.getBackend().getService().getName()).isEqualTo("tts-api");
        assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
      }
    }
    Ingress streams = ingresses.get("tts-api-streams");
    assertThat(paths(streams))
        .extracting(HTTPIngressPath::getPath)
        .containsExactlyInAnyOrder("/v1/audio/speech", "/tts/events");
    assertThat(streams.getMetadata().getAnnotations())
        .containsEntry("nginx.ingress.kubernetes.io/proxy-buffering", "off");
    Ingress closed = ingresses.get("tts-api-private");
    assertThat(paths(closed))
        .extracting(HTTPIngressPath::getPath)
        .containsExactlyInAnyOrder("/metrics", "/actuator");
    assertThat(closed.getMetadata().getAnnotations())
        .containsEntry("nginx.ingress.kubernetes.io/denylist-source-range", "0.0.0.0/0,::/0");
    assertThat(ingresses.get("tts-api").getMetadata().getAnnotations())
        .doesNotContainKey("nginx.ingress.kubernetes.io/proxy-buffering");
  }

  /** KEDA's ScaledObject spec (keda.sh/v1alpha1) and the redis-streams scaler's parameters. */
  @Test
  void workers_scale_on_the_lag_of_the_queues_the_service_uses() {
    JsonNode scaled = scaledObjects.get(0);
    assertThat(scaled.path("apiVersion").asText()).isEqualTo("keda.sh/v1alpha1");
    assertThat(fieldNames(scaled))
        .containsExactlyInAnyOrder("apiVersion", "kind", "metadata", "spec");
    JsonNode spec = scaled.path("spec");
    assertThat(fieldNames(spec))
        .isSubsetOf(
            "scaleTargetRef",
            "pollingInterval",
            "cooldownPeriod",
            "initialCooldownPeriod",
            "idleReplicaCount",
            "minReplicaCount",
            "maxReplicaCount",
            "fallback",
            "advanced",
            "triggers");
    assertThat(spec.path("scaleTargetRef").path("name").asText()).isEqualTo("tts-worker");
    assertThat(deployment("tts-worker")).isNotNull();
    for (String count :
        List.of("pollingInterval", "cooldownPeriod", "minReplicaCount", "maxReplicaCount")) {
      assertThat(spec.path(count).isInt()).as(count + " is an integer").isTrue();
    }
    assertThat(ofKind(HorizontalPodAutoscaler.class))
        .as("KEDA owns the workers' HPA")
        .noneMatch(h -> h.getSpec().getScaleTargetRef().getName().equals("tts-worker"));
    JsonNode advanced = spec.path("advanced");
    assertThat(fieldNames(advanced))
        .isSubsetOf(
            "horizontalPodAutoscalerConfig", "restoreToOriginalReplicaCount", "scalingModifiers");
    strictly(
        advanced.path("horizontalPodAutoscalerConfig").path("behavior"),
        HorizontalPodAutoscalerBehavior.class,
        "ScaledObject behavior");

    URI redis = URI.create(settings().get("REDIS_URL"));
    String database = redis.getPath().length() > 1 ? redis.getPath().substring(1) : "0";
    Set<String> scaledStreams = new HashSet<>();
    for (JsonNode trigger : spec.path("triggers")) {
      assertThat(fieldNames(trigger))
          .isSubsetOf(
              "type", "metadata", "name", "authenticationRef", "metricType", "useCachedMetrics");
      assertThat(trigger.path("type").asText()).isEqualTo("redis-streams");
      JsonNode metadata = trigger.path("metadata");
      assertThat(fieldNames(metadata))
          .isSubsetOf(
              "address",
              "host",
              "port",
              "addressFromEnv",
              "hostFromEnv",
              "portFromEnv",
              "usernameFromEnv",
              "passwordFromEnv",
              "stream",
              "consumerGroup",
              "pendingEntriesCount",
              "streamLength",
              "lagCount",
              "activationLagCount",
              "enableTLS",
              "unsafeSsl",
              "databaseIndex");
      metadata.forEach(
          v -> assertThat(v.isTextual()).as("KEDA metadata values are strings: " + v).isTrue());
      // Lag needs the group and its activation threshold (KEDA's documentation).
      assertThat(metadata.has("lagCount")).isTrue();
      assertThat(metadata.has("consumerGroup")).isTrue();
      assertThat(metadata.has("activationLagCount")).isTrue();
      assertThat(Integer.parseInt(metadata.path("lagCount").asText())).isPositive();
      assertThat(metadata.path("address").asText())
          .isEqualTo(redis.getHost() + ":" + redis.getPort());
      assertThat(metadata.path("databaseIndex").asText()).isEqualTo(database);
      scaledStreams.add(
          metadata.path("stream").asText() + " " + metadata.path("consumerGroup").asText());
    }

    Set<String> queues = new HashSet<>();
    int partitions = ServiceFacts.queuePartitions(environment(container(deployment("tts-worker"))));
    for (QueuePartition partition : new QueuePartitions(partitions).all()) {
      for (Priority p : Priority.values()) {
        queues.add(partition.stream(p) + " " + QueueKeys.GROUP);
      }
    }
    queues.add(QueueKeys.LIVE_JOBS + " " + QueueKeys.LIVE_GROUP);
    assertThat(scaledStreams).isEqualTo(queues);
  }

  // --- helpers ---

  private static List<Deployment> deployments() {
    return ofKind(Deployment.class);
  }

  private static Deployment deployment(String name) {
    return deployments().stream()
        .filter(d -> d.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static <T extends HasMetadata> List<T> ofKind(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static Container container(Deployment deployment) {
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  private static boolean selects(Map<String, String> selector, Deployment deployment) {
    Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    return labels.entrySet().containsAll(selector.entrySet());
  }

  private static List<HTTPIngressPath> paths(Ingress ingress) {
    return ingress.getSpec().getRules().stream()
        .flatMap(r -> r.getHttp().getPaths().stream())
        .toList();
  }

  /** The container's environment: its env entries and the generated ConfigMap it loads. */
  private static Map<String, String> environment(Container c) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource from : c.getEnvFrom()) {
      ConfigMapEnvSource configMap = from.getConfigMapRef();
      if (configMap != null) {
        assertThat(configMap.getName()).isEqualTo("tts-settings");
        env.putAll(settings());
      } else {
        assertThat(from.getSecretRef().getName()).isEqualTo("tts-secrets");
      }
    }
    if (c.getEnv() != null) {
      c.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
    }
    return env;
  }

  /** The literals of the kustomization's tts-settings ConfigMap. */
  private static Map<String, String> settings() {
    Map<String, String> values = new LinkedHashMap<>();
    for (JsonNode generator : kustomization.path("configMapGenerator")) {
      if (generator.path("name").asText().equals("tts-settings")) {
        for (JsonNode literal : generator.path("literals")) {
          String[] kv = literal.asText().split("=", 2);
          values.put(kv[0], kv[1]);
        }
      }
    }
    assertThat(values).isNotEmpty();
    return values;
  }

  /** The keys the tts-secrets Secret is documented with (tts-secrets.env.example). */
  private static List<String> secretKeys() throws IOException {
    return Files.readAllLines(DIR.resolve("tts-secrets.env.example")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.substring(0, l.indexOf('=')))
        .toList();
  }

  private static long preStopSeconds(Container c) {
    if (c.getLifecycle() == null || c.getLifecycle().getPreStop() == null) {
      return 0;
    }
    List<String> command = c.getLifecycle().getPreStop().getExec().getCommand();
    assertThat(command).hasSize(2).first().isEqualTo("sleep");
    return Long.parseLong(command.get(1));
  }

  /**
   * The numeric USER the Dockerfile's last stage runs as: its own last USER, else the one of the
   * stage it is built FROM, and so on (a build stage may switch to root for a step of its own).
   */
  private static long imageUser() {
    Map<String, String> baseOf = new HashMap<>();
    Map<String, String> userOf = new HashMap<>();
    String stage = null;
    for (String line : ServiceFacts.read(Path.of("Dockerfile")).lines().toList()) {
      if (line.startsWith("FROM ")) {
        String[] words = line.trim().split("\\s+");
        stage = words.length >= 4 && words[2].equalsIgnoreCase("AS") ? words[3] : "(last)";
        baseOf.put(stage, words[1]);
        userOf.remove(stage);
      } else if (line.startsWith("USER ") && stage != null) {
        userOf.put(stage, line.substring(5).trim());
      }
    }
    String user = null;
    for (String s = "(last)"; s != null && user == null; s = baseOf.get(s)) {
      user = userOf.get(s);
    }
    assertThat(user).as("the final stage's USER").isNotNull();
    return Long.parseLong(user.split(":")[0].trim());
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new HashSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
