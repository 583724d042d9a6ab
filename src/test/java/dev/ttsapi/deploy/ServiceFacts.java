package dev.ttsapi.deploy;

import dev.ttsapi.support.ApplicationYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;

/**
 * What the deployment files must agree with, read from the service itself: application.yaml as a
 * service started with no environment reads it, the controllers' GET mappings, and the sources for
 * environment variables read outside application.yaml.
 */
final class ServiceFacts {

  /** Read by the java launcher, not the service: allowed in deployments too. */
  private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

  private static final StandardEnvironment ENVIRONMENT = ApplicationYaml.environment();
  private static final Binder BINDER = Binder.get(ENVIRONMENT);

  private ServiceFacts() {}

  /** server.port with nothing set: the port every container must expose. */
  static int serverPort() {
    return BINDER.bind("server.port", Integer.class).get();
  }

  /**
   * The port /metrics is served on, given the environment a deployment sets: MANAGEMENT_PORT when
   * the service reads it and the deployment sets it, else the HTTP port.
   */
  static int metricsPort(java.util.Map<String, String> deploymentEnvironment) {
    String management = deploymentEnvironment.get("MANAGEMENT_PORT");
    if (management != null && readsEnvironmentVariable("MANAGEMENT_PORT")) {
      return Integer.parseInt(management);
    }
    String port = deploymentEnvironment.get("PORT");
    return port != null ? Integer.parseInt(port) : serverPort();
  }

  /** tts.queue.partitions as a deployment sets it (TTS_QUEUE_PARTITIONS) or by default. */
  static int queuePartitions(java.util.Map<String, String> deploymentEnvironment) {
    String set = deploymentEnvironment.get(relaxedEnvironmentName("tts.queue.partitions"));
    return set != null
        ? Integer.parseInt(set)
        : BINDER.bind("tts.queue.partitions", Integer.class).get();
  }

  static Duration shutdownGrace() {
    return BINDER.bind("tts.worker.shutdown-grace", Duration.class).get();
  }

  /** How long a stopping API node stays not-ready while it still serves, before shutdown starts. */
  static Duration drainWindow() {
    return BINDER.bind("tts.observability.drain-window", Duration.class).get();
  }

  /** How long Spring waits for each shutdown phase: the most a node takes to stop. */
  static Duration shutdownPhaseTimeout() {
    return BINDER.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class).get();
  }

  /**
   * Whether the service reads this environment variable: named in application.yaml (${NAME...}),
   * the relaxed form of a setting application.yaml documents (TTS_WORKER_SLOTS for
   * tts.worker.slots), read by the code (System.getenv), or the java launcher's own.
   */
  static boolean readsEnvironmentVariable(String name) {
    if (JVM_VARIABLES.contains(name)) {
      return true;
    }
    String yaml = read(Path.of("src/main/resources/application.yaml"));
    if (Pattern.compile("\\$\\{" + Pattern.quote(name) + "[:}]").matcher(yaml).find()) {
      return true;
    }
    for (String key : documentedSettings()) {
      if (relaxedEnvironmentName(key).equals(name)) {
        return true;
      }
    }
    try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
      return sources
          .filter(p -> p.toString().endsWith(".java"))
          .anyMatch(p -> read(p).contains("getenv(\"" + name + "\")"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Spring's environment-variable form of a property: tts.worker.shutdown-grace -> TTS_... */
  static String relaxedEnvironmentName(String property) {
    return property.replace('.', '_').replace("-", "").toUpperCase(Locale.ROOT);
  }

  private static Set<String> documentedSettings() {
    Set<String> keys = new TreeSet<>();
    ENVIRONMENT
        .getPropertySources()
        .forEach(
            source -> {
              if (source instanceof EnumerablePropertySource<?> e) {
                keys.addAll(Arrays.asList(e.getPropertyNames()));
              }
            });
    return keys;
  }

  /** Every path a GET reaches a controller method on (class and method mappings combined). */
  static Set<String> getPaths() {
    var scanner = new ClassPathScanningCandidateComponentProvider(false);
    scanner.addIncludeFilter(new AnnotationTypeFilter(Controller.class));
    Set<String> paths = new HashSet<>();
    for (BeanDefinition candidate : scanner.findCandidateComponents("dev.ttsapi")) {
      Class<?> type;
      try {
        type = Class.forName(candidate.getBeanClassName());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      RequestMapping onType =
          AnnotatedElementUtils.findMergedAnnotation(type, RequestMapping.class);
      String[] prefixes =
          onType == null || onType.path().length == 0 ? new String[] {""} : onType.path();
      for (Method method : type.getDeclaredMethods()) {
        RequestMapping mapping =
            AnnotatedElementUtils.findMergedAnnotation(method, RequestMapping.class);
        if (mapping == null
            || (mapping.method().length > 0
                && !Arrays.asList(mapping.method()).contains(RequestMethod.GET))) {
          continue;
        }
        for (String prefix : prefixes) {
          for (String path : mapping.path()) {
            paths.add(prefix + path);
          }
        }
      }
    }
    return paths;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
