package dev.ttsapi.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses a body that nothing downstream should read, before anything does: one larger than any
 * handler takes (the larger of {@code tts.input.max-bulk-body-size} and {@code
 * max-document-body-size}) with a 413 problem (at once when {@code Content-Length} says so, else
 * when the reader gets one byte past it), and one whose {@code Content-Type} is not a single
 * concrete media type ({@code application/*}, garbage) with a 415, where Spring would match it to a
 * JSON handler and then fail reading it with a 500. A body within {@code tts.input.max-body-size}
 * is buffered (it is small) and handed on. A larger one is left unread and marked {@link
 * #LARGER_THAN_USUAL}: only a {@link BulkBody} or {@link DocumentBody} handler may read it, up to
 * its own limit, which {@link BulkBodyInterceptor} decides once Spring has matched the handler (the
 * handler reads it after the key check, so only a caller with a key makes the service read it).
 */
class BodyLimitsFilter extends OncePerRequestFilter {

  /** Request attribute: the body is larger than tts.input.max-body-size. */
  static final String LARGER_THAN_USUAL = BodyLimitsFilter.class.getName() + ".larger";

  private final long maxBytes;
  private final long maxBulkBytes;
  private final JsonMapper json;

  BodyLimitsFilter(long maxBytes, long maxBulkBytes, JsonMapper json) {
    this.maxBytes = maxBytes;
    this.maxBulkBytes = maxBulkBytes;
    this.json = json;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String method = request.getMethod();
    if ("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method)) {
      chain.doFilter(request, response);
      return;
    }
    if (!concrete(request.getContentType())) {
      refuse(
          response,
          ProblemType.UNSUPPORTED_MEDIA_TYPE.detail(
              "Content-Type must name one media type, such as application/json"));
      return;
    }
    if (request.getContentLengthLong() > maxBulkBytes) {
      tooLarge(response, maxBulkBytes);
      return;
    }
    byte[] body =
        request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    if (body.length <= maxBytes) {
      chain.doFilter(new BufferedBodyRequest(request, body), response);
      return;
    }
    request.setAttribute(LARGER_THAN_USUAL, Boolean.TRUE);
    chain.doFilter(new BulkBodyRequest(request, body, maxBulkBytes), response);
  }

  /** No Content-Type at all is left to the handler; one given must be a concrete type. */
  private static boolean concrete(String contentType) {
    if (contentType == null) {
      return true;
    }
    try {
      MediaType type = MediaType.parseMediaType(contentType);
      return !type.isWildcardType() && !type.isWildcardSubtype();
    } catch (InvalidMediaTypeException e) {
      return false;
    }
  }

  private void tooLarge(HttpServletResponse response, long limit) throws IOException {
    ProblemDetail problem =
        ProblemType.PAYLOAD_TOO_LARGE.detail(
            "The body is larger than the limit of " + limit + " bytes");
    problem.setProperty("max_body_bytes", limit);
    refuse(response, problem);
  }

  private void refuse(HttpServletResponse response, ProblemDetail problem) throws IOException {
    response.setStatus(problem.getStatus());
    response.setContentType("application/problem+json");
    // Tomcat would otherwise try to drain the rest of a huge body to keep the connection.
    response.setHeader("Connection", "close");
    byte[] body = json.writeValueAsBytes(problem);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
