package dev.ttsapi.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Lets a body larger than {@code tts.input.max-body-size} (which {@link BodyLimitsFilter} left
 * unread and marked) reach only a {@link BulkBody} handler; any other gets a 413, and the
 * connection is closed rather than drained.
 */
class BulkBodyInterceptor implements HandlerInterceptor {

  private final long maxBytes;

  BulkBodyInterceptor(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (request.getAttribute(BodyLimitsFilter.LARGER_THAN_USUAL) == null) {
      return true;
    }
    if (handler instanceof HandlerMethod method && method.hasMethodAnnotation(BulkBody.class)) {
      return true;
    }
    response.setHeader("Connection", "close");
    throw new Problem(
            ProblemType.PAYLOAD_TOO_LARGE,
            "The body is larger than the limit of " + maxBytes + " bytes")
        .with("max_body_bytes", maxBytes);
  }
}
