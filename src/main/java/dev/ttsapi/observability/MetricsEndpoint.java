package dev.ttsapi.observability;

import dev.ttsapi.web.PublicEndpoint;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The seed's {@code /metrics}: every meter of this node in Prometheus' text format. Actuator's own
 * endpoint stays at {@code /actuator/prometheus}; this path is the one scrape configs and the
 * shipped dashboards use.
 */
@RestController
@PublicEndpoint
class MetricsEndpoint {

  private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;

  MetricsEndpoint(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @GetMapping("/metrics")
  ResponseEntity<String> scrape() {
    return ResponseEntity.ok().header("Content-Type", TEXT_FORMAT).body(registry.scrape());
  }
}
