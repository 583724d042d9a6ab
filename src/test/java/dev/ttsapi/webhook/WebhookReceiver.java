package dev.ttsapi.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real HTTP server on 127.0.0.1 that receives webhooks as a client's would: it records every POST
 * (headers and body) and answers each with the next scripted answer (a status, or a hang), 200 once
 * the script is used up. Also the receiver's side of the signature recipe in README, written apart
 * from the service's code.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** One POST as received. */
  public record Received(Map<String, List<String>> headers, String body) {
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().getFirst())
          .findFirst()
          .orElse(null);
    }
  }

  /** Answer with {@code status}, or hang (no answer) until released or the server stops. */
  public record Answer(int status, boolean hangs) {
    public static Answer status(int status) {
      return new Answer(status, false);
    }

    public static Answer hang() {
      return new Answer(0, true);
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private final CountDownLatch release = new CountDownLatch(1);

  public WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  /** Answers the next POSTs with these, in order. */
  public WebhookReceiver answer(Answer... answers) {
    script.addAll(List.of(answers));
    return this;
  }

  /** The URL to give as callback_url. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public List<Received> received() {
    return new ArrayList<>(received);
  }

  /** Lets every hung exchange go (they answer 200, after their client has long given up). */
  public void releaseHung() {
    release.countDown();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body));
    Answer answer = script.poll();
    if (answer == null) {
      answer = Answer.status(200);
    }
    if (answer.hangs()) {
      try {
        release.await(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      answer = Answer.status(200);
    }
    byte[] reply = "ok".getBytes(StandardCharsets.UTF_8);
    try {
      exchange.sendResponseHeaders(answer.status(), reply.length);
      exchange.getResponseBody().write(reply);
    } catch (IOException e) {
      // the service gave up on this exchange (a timeout)
    }
    exchange.close();
  }

  @Override
  public void close() {
    releaseHung();
    server.stop(0);
  }

  /**
   * The README's recipe: split {@code Tts-Signature} into {@code t} and its {@code v1} values, and
   * accept if any {@code v1} equals hex(HMAC-SHA256(secret, t + "." + body)).
   */
  public static boolean verifies(Received webhook, String secret) {
    String header = webhook.header("Tts-Signature");
    String t = null;
    List<String> signatures = new ArrayList<>();
    for (String part : header.split(",")) {
      String[] kv = part.split("=", 2);
      if (kv[0].equals("t")) {
        t = kv[1];
      } else if (kv[0].equals("v1")) {
        signatures.add(kv[1]);
      }
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String expected =
          HexFormat.of()
              .formatHex(mac.doFinal((t + "." + webhook.body()).getBytes(StandardCharsets.UTF_8)));
      return signatures.contains(expected);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
