package dev.ttsapi.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Bounds what clients can add to {@code http_server_requests_seconds}. Its labels take values from
 * closed sets already: Spring names the matched URI template (an unmatched path is {@code
 * NOT_FOUND}, or the static files' {@code /**}), an unknown method is {@code UNKNOWN}, statuses and
 * exception names are the code's own. What a client does pick is the combination: every endpoint
 * without a key made a 401 series, every endpoint asked with OPTIONS a 200 series, each with its
 * latency buckets.
 */
@Configuration(proxyBeanMethods = false)
class HttpServerMetrics {

  /** The {@code uri} of an answer the client chose: a client error or an OPTIONS answer. */
  static final String ANY_URI = "ANY";

  private static final String HTTP_SERVER_REQUESTS = "http.server.requests";

  /** The methods the API serves; OPTIONS is answered by the framework for any endpoint. */
  private static final Set<String> SERVED_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

  /** Answers the service gave; a client error is the client's. */
  private static final Set<String> SERVED_OUTCOMES =
      Set.of("SUCCESS", "REDIRECTION", "SERVER_ERROR");

  /**
   * Client errors and OPTIONS answers are counted by method and status, under {@code uri="ANY"}: so
   * a client can add a few series at most (methods times the 4xx statuses the code answers),
   * however many endpoints there are. Answers the service gave keep their endpoint: the latency
   * alert and the dashboard read those.
   */
  @Bean
  MeterFilter clientErrorsWithoutTheirPath() {
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        if (!id.getName().equals(HTTP_SERVER_REQUESTS)
            || id.getTag("uri") == null
            || (SERVED_METHODS.contains(id.getTag("method"))
                && SERVED_OUTCOMES.contains(id.getTag("outcome")))) {
          return id;
        }
        return id.replaceTags(
            id.getTags().stream()
                .map(tag -> tag.getKey().equals("uri") ? Tag.of("uri", ANY_URI) : tag)
                .toList());
      }
    };
  }
}
