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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A local HTTP server for remote engines' tests: answers with the replies queued, in order, and
 * records every request. With no reply left it asks its responder, if it has one ({@link
 * #answerWith}), and answers 599 otherwise, which no test expects.
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
  private volatile Function<Recorded, Reply> responder;
  private volatile CountDownLatch hold = new CountDownLatch(0);

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

  /**
   * Answers the requests no queued reply is left for by calling {@code responder}, on the request's
   * own thread: a fake of a whole service, computing each answer from the request.
   */
  public FakeHttpServer answerWith(Function<Recorded, Reply> responder) {
    this.responder = responder;
    return this;
  }

  /** Something to let go of; closing it twice is harmless. */
  public interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Holds every answer, once its request is recorded, until the returned {@link Held} is closed: a
   * server that takes its time, for a client to be interrupted while it waits.
   */
  public Held holdAnswers() {
    CountDownLatch gate = new CountDownLatch(1);
    hold = gate;
    return () -> {
      hold = new CountDownLatch(0);
      gate.countDown();
    };
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
      Recorded request =
          new Recorded(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getRawPath(),
              Map.copyOf(headers),
              body);
      requests.add(request);
      awaitRelease(hold);
      Reply reply = replies.poll();
      Function<Recorded, Reply> answer = responder;
      if (reply == null && answer != null) {
        reply = answer.apply(request);
      }
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

  private static void awaitRelease(CountDownLatch gate) {
    try {
      gate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    hold.countDown();
    server.stop(0);
  }
}
