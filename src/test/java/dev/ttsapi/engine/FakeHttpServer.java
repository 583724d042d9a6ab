package dev.ttsapi.engine;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * A local HTTP server for remote engines' tests: answers with the replies queued, in order, and
 * records every request. With no reply left it answers 599, which no test expects.
 */
public final class FakeHttpServer implements AutoCloseable {

  /** A request as received; header names lower case. */
  public record Recorded(String method, String path, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  public record Reply(int status, Map<String, String> headers, byte[] body) {
    public static Reply json(int status, String json) {
      return new Reply(
          status,
          Map.of("Content-Type", "application/json"),
          json.getBytes(StandardCharsets.UTF_8));
    }

    public static Reply bytes(int status, String contentType, byte[] body) {
      return new Reply(status, Map.of("Content-Type", contentType), body);
    }

    public Reply withHeader(String name, String value) {
      var all = new java.util.HashMap<>(headers);
      all.put(name, value);
      return new Reply(status, Map.copyOf(all), body);
    }
  }

  private final HttpServer server;
  private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();

  private FakeHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  public static FakeHttpServer start() {
    try {
      return new FakeHttpServer();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public FakeHttpServer enqueue(Reply... more) {
    replies.addAll(List.of(more));
    return this;
  }

  /** {@code http://127.0.0.1:<port>} without a trailing slash. */
  public String url() {
    return "http://"
        + server.getAddress().getAddress().getHostAddress()
        + ":"
        + server.getAddress().getPort();
  }

  public List<Recorded> requests() {
    return List.copyOf(requests);
  }

  public int requestCount() {
    return requests.size();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> headers =
          exchange.getRequestHeaders().entrySet().stream()
              .collect(
                  Collectors.toMap(
                      e -> e.getKey().toLowerCase(Locale.ROOT),
                      e -> String.join(",", e.getValue()),
                      (a, b) -> a + "," + b));
      requests.add(
          new Recorded(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getRawPath(),
              Map.copyOf(headers),
              body));
      Reply reply = replies.poll();
      if (reply == null) {
        reply = Reply.json(599, "{\"error\":\"no reply queued\"}");
      }
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.sendResponseHeaders(
          reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
      if (reply.body().length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(reply.body());
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
