package dev.ttsapi.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs Debian's nginx with the shipped deploy/nginx/nginx.conf (only its listen port and its
 * upstream list replaced) in front of stand-in API nodes on loopback: one that fails every call,
 * one that answers and records what it received. Skipped where nginx is not installed (.ci/run
 * installs it).
 */
class NginxConfigTest {

  private static final Path CONFIG = Path.of("deploy/nginx/nginx.conf");
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;
  private final List<AutoCloseable> running = new ArrayList<>();
  private Process nginx;
  private int port;

  @BeforeAll
  static void nginxInstalled() {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx is not installed (apt-get nginx)");
  }

  @AfterEach
  void stop() throws Exception {
    if (nginx != null) {
      nginx.destroy();
      nginx.waitFor(10, TimeUnit.SECONDS);
    }
    for (AutoCloseable c : running) {
      c.close();
    }
  }

  @Test
  void nginx_accepts_the_shipped_configuration() throws Exception {
    Node node = healthyNode();
    Process check = nginxCommand(List.of(node), "-t").start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(check.exitValue()).as(output).isZero();
    assertThat(output).contains("test is successful");
  }

  @ParameterizedTest
  @EnumSource(Failure.class)
  void a_submit_without_an_idempotency_key_is_never_sent_to_a_second_node(Failure failure)
      throws Exception {
    FailingNode failing = failingNode(failure);
    Node healthy = healthyNode();
    start(failing, healthy);

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      statuses.add(post("/tts/request", "{\"text\":\"submit " + i + "\"}", Map.of()).statusCode());
    }

    // Each submit reached exactly one node: those the failing node received were answered with
    // its failure, not run again elsewhere.
    assertThat(failing.received()).isPositive();
    assertThat(failing.received() + healthy.received("/tts/request")).isEqualTo(4);
    assertThat(statuses.stream().filter(s -> s != 200).count()).isEqualTo(failing.received());
    assertThat(statuses).allMatch(s -> s == 200 || s == failure.statusThroughNginx);
  }

  @ParameterizedTest
  @EnumSource(Failure.class)
  void a_submit_with_an_idempotency_key_goes_to_the_next_node_when_one_fails(Failure failure)
      throws Exception {
    FailingNode failing = failingNode(failure);
    Node healthy = healthyNode();
    start(failing, healthy);

    for (int i = 0; i < 4; i++) {
      var response =
          post(
              "/tts/request", "{\"text\":\"keyed " + i + "\"}", Map.of("Idempotency-Key", "k" + i));
      assertThat(response.statusCode()).isEqualTo(200);
    }

    assertThat(failing.received()).isPositive();
    assertThat(healthy.received("/tts/request")).isEqualTo(4);
    assertThat(healthy.requests())
        .extracting(r -> r.headers().get("idempotency-key"))
        .containsExactlyInAnyOrder("k0", "k1", "k2", "k3");
    assertThat(healthy.requests())
        .extracting(Request::body)
        .allMatch(b -> b.startsWith("{\"text\":\"keyed "));
  }

  @Test
  void reads_go_to_the_next_node_when_one_fails() throws Exception {
    FailingNode failing = failingNode(Failure.CLOSES_CONNECTION);
    Node healthy = healthyNode();
    start(failing, healthy);

    for (int i = 0; i < 4; i++) {
      assertThat(get("/tts/status/" + i, Map.of()).statusCode()).isEqualTo(200);
    }

    assertThat(failing.received()).isPositive();
    assertThat(healthy.received()).isEqualTo(4);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/metrics",
        "/metrics/",
        "//metrics",
        "/metrics;x",
        "/%6Detrics",
        "/METRICS",
        "/actuator",
        "/actuator/prometheus",
        "/actuator/health"
      })
  void metrics_and_actuator_are_not_served_through_nginx(String path) throws Exception {
    Node healthy = healthyNode();
    start(healthy);

    assertThat(get(path, Map.of()).statusCode()).isEqualTo(404);
    assertThat(healthy.received()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/audio/speech", "/tts/events"})
  void streams_reach_the_client_chunk_by_chunk(String path) throws Exception {
    Node healthy = healthyNode();
    start(healthy);
    // As browsers and SDKs ask: compression must not hold the stream back.

    boolean speech = path.equals("/v1/audio/speech");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path)).header("Accept-Encoding", "gzip");
    if (speech) {
      request.POST(HttpRequest.BodyPublishers.ofString("{\"input\":\"hello\"}"));
    }
    HttpResponse<InputStream> response =
        CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      // The node holds the rest of its answer until the client has the first chunk: an nginx that
      // held the stream back (compressing or caching it) would never pass the first chunk alone.
      byte[] first = body.readNBytes(Node.FIRST_CHUNK.length);
      assertThat(new String(first, StandardCharsets.UTF_8))
          .isEqualTo(new String(Node.FIRST_CHUNK, StandardCharsets.UTF_8));
      healthy.firstChunkArrived.countDown();
      assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(Node.REST);
    }
    assertThat(healthy.heldUntilClientHadFirstChunk).isTrue();
  }

  /**
   * nginx passes a chunk on as soon as it has it even with buffering on (the test above cannot tell
   * the two apart); buffering off also makes a client that reads slowly slow the node down, instead
   * of nginx reading the whole stream into memory and temp files: a hung-up or stalled client then
   * stops the synthesis of the rest. So the setting itself is checked.
   */
  @ParameterizedTest
  @ValueSource(strings = {"/v1/audio/speech", "/tts/events"})
  void streams_are_not_buffered_in_nginx(String path) throws IOException {
    String config = Files.readString(CONFIG);
    int start = config.indexOf("location = " + path + " {");
    assertThat(start).as("a location for " + path).isNotNegative();
    String block = config.substring(start, config.indexOf('}', start));

    assertThat(block).contains("proxy_buffering off;").contains("proxy_cache off;");
  }

  /**
   * A 100,000-character document (up to 600 KB as JSON escapes) reaches the node's submit and
   * estimate, with or without an Idempotency-Key, and a batch its 8 MB; elsewhere nginx still stops
   * bodies far past the service's 64 KB, and nothing goes past the node's own 2 MB.
   */
  @Test
  void a_long_document_passes_nginx_to_the_submit_and_only_there() throws Exception {
    Node healthy = healthyNode();
    start(healthy);
    String document = "{\"text\":\"" + "\\u00e9".repeat(100_000) + "\"}";
    assertThat(document.length()).isGreaterThan(600_000);

    assertThat(post("/tts/request", document, Map.of()).statusCode()).isEqualTo(200);
    assertThat(post("/tts/request", document, Map.of("Idempotency-Key", "doc")).statusCode())
        .isEqualTo(200);
    assertThat(post("/tts/estimate", document, Map.of()).statusCode()).isEqualTo(200);
    assertThat(
            post("/tts/batches", "{\"items\":[" + (document + ",").repeat(6) + "{}]}", Map.of())
                .statusCode())
        .isEqualTo(200);
    assertThat(healthy.requests())
        .filteredOn(r -> r.path().equals("/tts/request"))
        .extracting(Request::body)
        .containsOnly(document);

    assertThat(post("/v1/audio/speech", document, Map.of()).statusCode()).isEqualTo(413);
    String tooLong = "{\"text\":\"" + "a".repeat(3 * 1024 * 1024) + "\"}";
    assertThat(post("/tts/request", tooLong, Map.of()).statusCode()).isEqualTo(413);
    assertThat(healthy.received("/v1/audio/speech")).isZero();
  }

  @Test
  void the_node_sees_the_address_nginx_saw_not_the_one_the_client_claims() throws Exception {
    Node healthy = healthyNode();
    start(healthy);

    get("/tts/status/1", Map.of("X-Forwarded-For", "203.0.113.9", "X-Real-IP", "203.0.113.9"));
    get("/tts/status/2", Map.of("X-Request-Id", "client-id-42"));

    Request spoofed = healthy.requests().get(0);
    assertThat(spoofed.headers().get("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(spoofed.headers().get("x-real-ip")).isEqualTo("127.0.0.1");
    assertThat(spoofed.headers().get("x-request-id")).matches("[0-9a-f]{32}");
    assertThat(healthy.requests().get(1).headers().get("x-request-id")).isEqualTo("client-id-42");
  }

  // --- nginx and the stand-in nodes ---

  /** How the failing node fails a call it has received. */
  enum Failure {
    /** Reads the request, then closes the connection without answering (a node that crashed). */
    CLOSES_CONNECTION(502),
    /** Answers 503 (a node that is not ready). */
    ANSWERS_503(503);

    final int statusThroughNginx;

    Failure(int statusThroughNginx) {
      this.statusThroughNginx = statusThroughNginx;
    }
  }

  private void start(Upstream... nodes) throws Exception {
    nginx = nginxCommand(List.of(nodes), "-g", "daemon off;").start();
    running.add(nginx::destroy);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              assertThat(nginx.isAlive()).as(() -> errorLog()).isTrue();
              try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
              } catch (IOException e) {
                return false;
              }
            });
  }

  /**
   * nginx with the shipped configuration, listening on a free loopback port, in front of the given
   * nodes (listed in that order, never marked down, so each nginx worker's first call goes to the
   * first node).
   */
  private ProcessBuilder nginxCommand(List<? extends Upstream> nodes, String... args)
      throws IOException {
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    String config = Files.readString(CONFIG);
    assertThat(config.split("listen 80;", -1)).as("one 'listen 80;' in nginx.conf").hasSize(2);
    Files.writeString(
        dir.resolve("nginx.conf"), config.replace("listen 80;", "listen 127.0.0.1:" + port + ";"));
    StringBuilder upstream = new StringBuilder();
    for (Upstream node : nodes) {
      upstream.append("server 127.0.0.1:").append(node.port()).append(" max_fails=0;\n");
    }
    Files.writeString(dir.resolve("upstream.conf"), upstream);
    List<String> command = new ArrayList<>(List.of("/usr/sbin/nginx", "-p", dir + "/"));
    command.addAll(List.of("-c", dir.resolve("nginx.conf").toString()));
    String global = "pid " + dir.resolve("nginx.pid") + "; error_log " + errorLogPath() + ";";
    List<String> rest = new ArrayList<>(List.of(args));
    int g = rest.indexOf("-g");
    if (g >= 0) {
      rest.set(g + 1, global + " " + rest.get(g + 1));
    } else {
      rest.addAll(List.of("-g", global));
    }
    command.addAll(rest);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(
            args[0].equals("-t")
                ? ProcessBuilder.Redirect.PIPE
                : ProcessBuilder.Redirect.appendTo(dir.resolve("access.log").toFile()));
  }

  private Path errorLogPath() {
    return dir.resolve("error.log");
  }

  private String errorLog() {
    try {
      return Files.exists(errorLogPath()) ? Files.readString(errorLogPath()) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private HttpResponse<String> post(String path, String json, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    headers.forEach(b::header);
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
    headers.forEach(b::header);
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  interface Upstream {
    int port();
  }

  record Request(String method, String path, Map<String, String> headers, String body) {}

  private Node healthyNode() throws IOException {
    Node node = new Node();
    running.add(node);
    return node;
  }

  private FailingNode failingNode(Failure failure) throws IOException {
    FailingNode node = new FailingNode(failure);
    running.add(node);
    return node;
  }

  /**
   * A healthy API node: answers every call with 200 and records it. On the streaming paths it sends
   * a first chunk, then waits (up to 20 s) for the client to have it before sending the rest.
   */
  static final class Node implements Upstream, AutoCloseable {
    static final byte[] FIRST_CHUNK = ": first chunk\n\n".getBytes(StandardCharsets.UTF_8);
    static final String REST = "data: the rest\n\n";

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    final CountDownLatch firstChunkArrived = new CountDownLatch(1);
    volatile boolean heldUntilClientHadFirstChunk;

    Node() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext("/", this::handle);
      server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
      Map<String, String> headers = new ConcurrentHashMap<>();
      exchange
          .getRequestHeaders()
          .forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getRawPath();
      requests.add(new Request(exchange.getRequestMethod(), path, headers, body));
      try (exchange) {
        if (path.equals("/v1/audio/speech") || path.equals("/tts/events")) {
          exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
          exchange.sendResponseHeaders(200, 0);
          OutputStream out = exchange.getResponseBody();
          out.write(FIRST_CHUNK);
          out.flush();
          heldUntilClientHadFirstChunk = firstChunkArrived.await(20, TimeUnit.SECONDS);
          out.write(REST.getBytes(StandardCharsets.UTF_8));
        } else {
          byte[] answer = "{\"node\":\"healthy\"}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, answer.length);
          exchange.getResponseBody().write(answer);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    List<Request> requests() {
      return requests;
    }

    long received() {
      return requests.size();
    }

    long received(String path) {
      return requests.stream().filter(r -> r.path().equals(path)).count();
    }

    @Override
    public int port() {
      return server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /** An API node that receives each call whole, then fails it. */
  static final class FailingNode implements Upstream, AutoCloseable {
    private final ServerSocket socket;
    private final Failure failure;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    FailingNode(Failure failure) throws IOException {
      this.failure = failure;
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor = Thread.ofVirtual().start(this::accept);
    }

    private void accept() {
      while (!socket.isClosed()) {
        try {
          Socket connection = socket.accept();
          Thread.ofVirtual().start(() -> serve(connection));
        } catch (IOException e) {
          return;
        }
      }
    }

    /** Reads requests off one (keep-alive) connection until it fails one. */
    private void serve(Socket connection) {
      try (connection) {
        InputStream in = connection.getInputStream();
        String head = readHead(in);
        if (head == null) {
          return;
        }
        int length = 0;
        for (String line : head.split("\r\n")) {
          if (line.toLowerCase().startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).trim());
          }
        }
        in.readNBytes(length);
        received.add(head.lines().findFirst().orElse(""));
        if (failure == Failure.ANSWERS_503) {
          connection
              .getOutputStream()
              .write(
                  ("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                          + "Connection: close\r\n\r\n")
                      .getBytes(StandardCharsets.US_ASCII));
        }
      } catch (IOException e) {
        // nginx went away first: nothing to record
      }
    }

    private static String readHead(InputStream in) throws IOException {
      StringBuilder head = new StringBuilder();
      int c;
      while ((c = in.read()) != -1) {
        head.append((char) c);
        if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
          return head.toString();
        }
      }
      return null;
    }

    long received() {
      return received.size();
    }

    @Override
    public int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      acceptor.interrupt();
    }
  }
}
