package dev.ttsapi.observability;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every HTTP request an id — the client's {@code X-Request-Id} when it sent a sane one, a new
 * UUID otherwise — puts it in the MDC as {@code request_id} for every log line of the request,
 * answers it back in the header, and writes one access-log line per request with its latency to the
 * logger {@code tts.access} ({@link AccessLog}: by default off the request thread), except for the
 * node's own warm-up requests ({@link HttpWarmUp}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestLogFilter extends OncePerRequestFilter {

  static final String HEADER = "X-Request-Id";
  static final String MDC_KEY = "request_id";
  private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private final AccessLog access;
  private final HttpWarmUp warmUp; // null on a node without the API role

  RequestLogFilter(AccessLog access, ObjectProvider<HttpWarmUp> warmUp) {
    this.access = access;
    this.warmUp = warmUp.getIfAvailable();
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String given = request.getHeader(HEADER);
    String id =
        given != null && SANE_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
    long start = System.nanoTime();
    MDC.put(MDC_KEY, id);
    response.setHeader(HEADER, id);
    try {
      chain.doFilter(request, response);
    } finally {
      if (warmUp == null || !warmUp.isOwn(request)) {
        access.log(
            request.getMethod(),
            request.getRequestURI(),
            response.getStatus(),
            (System.nanoTime() - start) / 1000,
            id);
      }
      MDC.remove(MDC_KEY);
    }
  }
}
