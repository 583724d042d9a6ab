package dev.ttsapi.observability;

import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The HTTP stack every request passes (Tomcat's parsing and writing, the filters, Spring MVC's
 * dispatch and interceptors, JSON answers), warmed up by {@code GET /health} sent to this node over
 * loopback before it reports ready: the cheap check load balancers call anyway, which reads and
 * writes nothing. The requests carry a header with a secret made for this process, so the access
 * log leaves them out ({@link RequestLogFilter}); nobody else can send it.
 */
@Component
@ConditionalOnRole(Role.API)
class HttpWarmUp implements WarmUpStep {

  static final String HEADER = "X-Tts-Warm-Up";

  private final byte[] secret;
  private final String secretText;
  private final Environment environment;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private volatile HttpRequest request;

  HttpWarmUp(Environment environment) {
    this.environment = environment;
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    this.secretText = HexFormat.of().formatHex(random);
    this.secret = secretText.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public String name() {
    return "HTTP (GET /health over loopback)";
  }

  @Override
  public void runOnce() {
    try {
      HttpResponse<byte[]> answer = client.send(request(), HttpResponse.BodyHandlers.ofByteArray());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException("GET /health answered " + answer.statusCode());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Whether {@code request} is one of this warm-up's own. */
  boolean isOwn(HttpServletRequest request) {
    String sent = request.getHeader(HEADER);
    return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.US_ASCII), secret);
  }

  private HttpRequest request() {
    HttpRequest made = request;
    if (made == null) {
      // known once the server listens, which it does before the warm-up starts
      String port = environment.getRequiredProperty("local.server.port");
      if (environment.getProperty("server.ssl.enabled", Boolean.class, false)) {
        throw new IllegalStateException("the server speaks TLS; not warmed up over plain HTTP");
      }
      String address = environment.getProperty("server.address", "127.0.0.1");
      if (address.isBlank() || address.equals("0.0.0.0") || address.equals("::")) {
        address = "127.0.0.1";
      }
      String host = address.contains(":") ? "[" + address + "]" : address;
      made =
          HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/health"))
              .header(HEADER, secretText)
              // the first one initialises Spring MVC's dispatcher, slow on a busy machine
              .timeout(Duration.ofSeconds(30))
              .GET()
              .build();
      request = made;
    }
    return made;
  }
}
