package dev.ttsapi.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A JSON answer leaves in one write, with its {@code Content-Length}. Spring's JSON converter
 * flushes the servlet stream once it has written the body, which commits the response before the
 * container knows its length: it went out chunked, as two writes (the headers and body, then the
 * last chunk). Here a flush of a JSON answer ({@code application/json}, {@code
 * application/problem+json}) is left to the container, which sets the length of a body that fits
 * its buffer when the request ends and writes it at once. A larger body still streams (the
 * container writes its buffer when full); anything else (audio, server-sent events, NDJSON) is
 * flushed when its writer says.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 11) // right after the body limits: every answer goes through
class WholeJsonAnswerFilter extends OncePerRequestFilter {

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    chain.doFilter(request, new LengthKnownResponse(response));
  }

  /**
   * Whether the answer is one JSON document, whose flush can wait for its end (asked at every
   * flush, so a prefix test, not a parse).
   */
  static boolean wholeJson(String contentType) {
    return contentType != null
        && (startsWithType(contentType, JSON) || startsWithType(contentType, PROBLEM_JSON));
  }

  private static final String JSON = MediaType.APPLICATION_JSON_VALUE;
  private static final String PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

  private static boolean startsWithType(String contentType, String type) {
    return contentType.regionMatches(true, 0, type, 0, type.length())
        && (contentType.length() == type.length()
            || contentType.charAt(type.length()) == ';'
            || contentType.charAt(type.length()) == ' ');
  }

  private static final class LengthKnownResponse extends HttpServletResponseWrapper {
    private ServletOutputStream stream;

    private LengthKnownResponse(HttpServletResponse response) {
      super(response);
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
      if (stream == null) {
        stream = new FlushWhenNotJson(super.getOutputStream(), this);
      }
      return stream;
    }

    @Override
    public void flushBuffer() throws IOException {
      if (!wholeJson(getContentType())) {
        super.flushBuffer();
      }
    }
  }

  private static final class FlushWhenNotJson extends ServletOutputStream {
    private final ServletOutputStream out;
    private final HttpServletResponse response;

    private FlushWhenNotJson(ServletOutputStream out, HttpServletResponse response) {
      this.out = out;
      this.response = response;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      if (!wholeJson(response.getContentType())) {
        out.flush();
      }
    }

    @Override
    public void close() throws IOException {
      out.close();
    }

    @Override
    public boolean isReady() {
      return out.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      out.setWriteListener(listener);
    }
  }
}
