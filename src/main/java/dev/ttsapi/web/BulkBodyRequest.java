package dev.ttsapi.web;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A request whose first bytes a filter has read and whose rest is still on the connection: read
 * whole, it gives those bytes then the rest, and fails with {@link BodyTooLargeException} one byte
 * past {@code maxBytes}.
 */
final class BulkBodyRequest extends HttpServletRequestWrapper {

  /** The body went past the bulk limit while a handler read it. */
  static final class BodyTooLargeException extends IOException {
    final long maxBytes;

    BodyTooLargeException(long maxBytes) {
      super("The body is larger than the limit of " + maxBytes + " bytes");
      this.maxBytes = maxBytes;
    }
  }

  private final byte[] head;
  private long maxBytes;

  BulkBodyRequest(HttpServletRequest request, byte[] head, long maxBytes) {
    super(request);
    this.head = head;
    this.maxBytes = maxBytes;
  }

  /** Lowers the limit to a handler's own, before the handler reads. */
  void limitTo(long bytes) {
    maxBytes = Math.min(maxBytes, bytes);
  }

  @Override
  public ServletInputStream getInputStream() throws IOException {
    InputStream in =
        new SequenceInputStream(new ByteArrayInputStream(head), super.getInputStream());
    return new ServletInputStream() {
      private long read;

      @Override
      public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
          count(1);
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int off, int len) throws IOException {
        int n = in.read(buffer, off, len);
        if (n > 0) {
          count(n);
        }
        return n;
      }

      private void count(int n) throws BodyTooLargeException {
        read += n;
        if (read > maxBytes) {
          throw new BodyTooLargeException(maxBytes);
        }
      }

      @Override
      public boolean isFinished() {
        return false;
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setReadListener(ReadListener listener) {
        throw new UnsupportedOperationException("blocking reads only");
      }
    };
  }

  @Override
  public BufferedReader getReader() throws IOException {
    String encoding = getCharacterEncoding();
    Charset charset = encoding != null ? Charset.forName(encoding) : StandardCharsets.UTF_8;
    return new BufferedReader(new InputStreamReader(getInputStream(), charset));
  }
}
