package dev.ttsapi.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ttsapi.support.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code rediss://} reaches a real redis-server that speaks only TLS (this machine's redis-server
 * is built with OpenSSL): commands and scripts go through; a certificate the JVM does not trust is
 * refused unless {@code verifyPeer=false} says otherwise. The certificate is made here with
 * openssl.
 */
class RedisTlsTest {

  private Process server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void rediss_speaks_tls_and_refuses_an_untrusted_certificate_unless_told() throws Exception {
    assumeTrue(onPath("openssl") && onPath("redis-server"), "openssl or redis-server missing");
    Path dir = Files.createDirectories(Path.of("target", "redis-tls").toAbsolutePath());
    run(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        dir.resolve("key.pem").toString(),
        "-out",
        dir.resolve("cert.pem").toString());
    int port = TestStores.freePort();
    server =
        new ProcessBuilder(
                "redis-server",
                "--port",
                "0",
                "--tls-port",
                Integer.toString(port),
                "--tls-cert-file",
                dir.resolve("cert.pem").toString(),
                "--tls-key-file",
                dir.resolve("key.pem").toString(),
                "--tls-ca-cert-file",
                dir.resolve("cert.pem").toString(),
                "--tls-auth-clients",
                "no",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    awaitListening(port);

    try (Redis redis =
        Redis.connect("rediss://127.0.0.1:" + port + "?verifyPeer=false", Duration.ofSeconds(5))) {
      redis.sync().set("tls-probe", "over TLS");
      assertThat(redis.sync().get("tls-probe")).isEqualTo("over TLS");
      List<Long> gcra =
          redis.eval(RedisScript.GCRA, List.of("{rl:tls}:submit"), List.of("60000", "5"));
      assertThat(gcra.getFirst()).isEqualTo(1L);
      assertThat(redis.masters()).singleElement().satisfies(m -> assertThat(m.up()).isTrue());
    }
    assertThatThrownBy(() -> connectAndPing("rediss://127.0.0.1:" + port))
        .as("a self-signed certificate is not trusted by default")
        .isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> connectAndPing("redis://127.0.0.1:" + port))
        .as("plain text is not answered on a TLS port")
        .isInstanceOf(RuntimeException.class);
  }

  private static void connectAndPing(String url) {
    try (Redis redis = Redis.connect(url, Duration.ofSeconds(3))) {
      redis.sync().ping();
    }
  }

  private static void awaitListening(int port) throws InterruptedException {
    Instant until = Instant.now().plusSeconds(20);
    while (Instant.now().isBefore(until)) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        return;
      } catch (java.io.IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("TLS redis-server did not start");
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
    }
  }

  private static boolean onPath(String binary) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(d, binary))) {
        return true;
      }
    }
    return false;
  }
}
