package dev.ttsapi.observability;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The seed's {@code /metrics}: every meter of this node in Prometheus' text format, served where
 * the actuator is: on {@code MANAGEMENT_PORT} when that is set (and then only there), else on the
 * main port. Actuator's own endpoint stays at {@code /actuator/prometheus}; this path is the one
 * scrape configs and the shipped dashboards use.
 *
 * <p>Spring Boot imports this class into the management context, as it is listed in {@code
 * META-INF/spring/org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration.imports}.
 * It has no {@code @Configuration} on purpose: component scanning would then also put it in the
 * main context, on the public port.
 */
class MetricsEndpoint {

  private static final MediaType TEXT_FORMAT =
      MediaType.parseMediaType("text/plain; version=0.0.4; charset=utf-8");

  @Bean
  RouterFunction<ServerResponse> prometheusMetricsRoute(PrometheusMeterRegistry registry) {
    return RouterFunctions.route()
        .GET(
            "/metrics",
            request -> ServerResponse.ok().contentType(TEXT_FORMAT).body(registry.scrape()))
        .build();
  }
}
