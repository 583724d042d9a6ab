package dev.ttsapi.observability;

import dev.ttsapi.config.BufferedBodyRequest;
import dev.ttsapi.queue.Priority;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * API backpressure: while the queues hold more than {@code tts.observability.max-queue-depth} jobs
 * in all, {@code POST /tts/request} is answered 503 with {@code Retry-After} and problem details
 * instead of letting the queue grow without bound. High-priority submits get a larger allowance
 * ({@code high-priority-max-queue-depth}). Depths come from {@link QueueDepths} (cached), so the
 * check costs no Redis round trip per request, and the body is read only when the queue is over the
 * normal limit, to learn its priority; it is then handed on unchanged.
 */
@Component
class QueueLimitFilter extends OncePerRequestFilter {

  private static final Logger log = LoggerFactory.getLogger(QueueLimitFilter.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A body larger than this is not parsed for its priority (the API rejects it anyway). */
  private static final int MAX_BODY = 1 << 20;

  private final QueueDepths depths;
  private final ObservabilityProperties properties;
  private final TtsMetrics metrics;
  private volatile boolean over;

  QueueLimitFilter(QueueDepths depths, ObservabilityProperties properties, TtsMetrics metrics) {
    this.depths = depths;
    this.properties = properties;
    this.metrics = metrics;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !("POST".equals(request.getMethod()) && "/tts/request".equals(request.getRequestURI()));
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long total = depths.current().total();
    if (total <= properties.maxQueueDepth()) {
      if (over) {
        over = false;
        log.info("Queue depth {} is back under its limit: submits accepted again", total);
      }
      chain.doFilter(request, response);
      return;
    }
    byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
    Priority priority = priority(body);
    long limit =
        priority == Priority.HIGH
            ? properties.highPriorityMaxQueueDepth()
            : properties.maxQueueDepth();
    if (total <= limit) {
      chain.doFilter(new BufferedBodyRequest(request, body), response);
      return;
    }
    if (!over) {
      over = true;
      log.warn("Queue depth {} is over its limit: submits are answered 503", total);
    }
    metrics.rejectedForQueueDepth(priority);
    reject(response, total, limit);
  }

  private void reject(HttpServletResponse response, long total, long limit) throws IOException {
    long seconds = Math.max(1, properties.retryAfter().toSeconds());
    response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
    response.setHeader("Retry-After", Long.toString(seconds));
    response.setContentType("application/problem+json");
    Map<String, Object> problem =
        Map.of(
            "type",
            ObservabilityProblems.QUEUE_FULL.toString(),
            "title",
            "Queue full",
            "status",
            503,
            "detail",
            "The queue holds "
                + total
                + " jobs, over its limit of "
                + limit
                + "; try again in "
                + seconds
                + " s",
            "queue_length",
            total);
    response.getOutputStream().write(JSON.writeValueAsBytes(problem));
  }

  /** The body's {@code priority}; normal when absent or unreadable (the API judges the body). */
  private static Priority priority(byte[] body) {
    if (body.length > MAX_BODY) {
      return Priority.NORMAL;
    }
    try {
      JsonNode node = JSON.readTree(body);
      return Priority.parse(node.path("priority").asString(null)).orElse(Priority.NORMAL);
    } catch (RuntimeException e) {
      return Priority.NORMAL;
    }
  }
}
