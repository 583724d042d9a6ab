package dev.ttsapi.backpressure;

import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The backpressure settings, and a clear refusal to start with their old names: a limit an operator
 * set under {@code tts.observability} must not be silently ignored.
 */
@Configuration(proxyBeanMethods = false)
class BackpressureConfiguration {

  private static final List<String> MOVED =
      List.of(
          "queue-depth-cache",
          "max-queue-depth",
          "high-priority-max-queue-depth",
          "retry-after",
          "worker-heap-fraction",
          "heap-check-interval");

  BackpressureConfiguration(Environment environment) {
    for (String name : MOVED) {
      if (environment.containsProperty("tts.observability." + name)) {
        throw new IllegalStateException(
            "tts.observability."
                + name
                + " is now tts.backpressure."
                + name
                + " (environment variable TTS_BACKPRESSURE_"
                + name.replace("-", "").toUpperCase(java.util.Locale.ROOT)
                + "); rename it");
      }
    }
  }
}
