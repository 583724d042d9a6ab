package dev.ttsapi.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.util.WebUtils;

/**
 * Lets a body larger than {@code tts.input.max-body-size} (which {@link BodyLimitsFilter} left
 * unread and marked) reach only a {@link BulkBody} handler (up to {@code max-bulk-body-size}) or a
 * {@link DocumentBody} one (up to {@code max-document-body-size}); any other gets a 413, and so
 * does a body past the matched handler's own limit. The connection is then closed rather than
 * drained.
 */
class BulkBodyInterceptor implements HandlerInterceptor {

  private final long maxBytes;
  private final long maxBulkBytes;
  private final long maxDocumentBytes;

  BulkBodyInterceptor(long maxBytes, long maxBulkBytes, long maxDocumentBytes) {
    this.maxBytes = maxBytes;
    this.maxBulkBytes = maxBulkBytes;
    this.maxDocumentBytes = maxDocumentBytes;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (request.getAttribute(BodyLimitsFilter.LARGER_THAN_USUAL) == null) {
      return true;
    }
    long limit = maxBytes;
    if (handler instanceof HandlerMethod method) {
      if (method.hasMethodAnnotation(BulkBody.class)) {
        limit = maxBulkBytes;
      } else if (method.hasMethodAnnotation(DocumentBody.class)) {
        limit = maxDocumentBytes;
      }
    }
    if (limit > maxBytes && request.getContentLengthLong() <= limit) {
      // a body sent without a length is counted as the handler reads it
      BulkBodyRequest body = WebUtils.getNativeRequest(request, BulkBodyRequest.class);
      if (body != null) {
        body.limitTo(limit);
      }
      return true;
    }
    response.setHeader("Connection", "close");
    throw new Problem(
            ProblemType.PAYLOAD_TOO_LARGE,
            "The body is larger than the limit of " + limit + " bytes")
        .with("max_body_bytes", limit);
  }
}
