package dev.ttsapi.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses a body larger than {@code tts.input.max-body-size} with a 413 problem before anything
 * reads it: at once when {@code Content-Length} says so, else (chunked) after reading at most one
 * byte past the limit. A body within the limit is buffered (it is small) and handed on.
 */
class BodySizeLimitFilter extends OncePerRequestFilter {

  private final long maxBytes;
  private final JsonMapper json;

  BodySizeLimitFilter(long maxBytes, JsonMapper json) {
    this.maxBytes = maxBytes;
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
    if (request.getContentLengthLong() > maxBytes) {
      tooLarge(response);
      return;
    }
    byte[] body =
        request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    if (body.length > maxBytes) {
      tooLarge(response);
      return;
    }
    chain.doFilter(new BufferedBodyRequest(request, body), response);
  }

  private void tooLarge(HttpServletResponse response) throws IOException {
    response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
    response.setContentType("application/problem+json");
    // Tomcat would otherwise try to drain the rest of a huge body to keep the connection.
    response.setHeader("Connection", "close");
    ProblemDetail problem =
        ProblemType.PAYLOAD_TOO_LARGE.detail(
            "The body is larger than the limit of " + maxBytes + " bytes");
    problem.setProperty("max_body_bytes", maxBytes);
    byte[] body = json.writeValueAsBytes(problem);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
