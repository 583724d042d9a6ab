package dev.ttsapi.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Talks to the running service over real HTTP, as a client would. */
public final class ApiClient {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;

  public ApiClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  public record Response(int status, Map<String, java.util.List<String>> headers, byte[] body) {

    public String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    public JsonNode json() {
      return JSON.readTree(body);
    }

    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().getFirst())
          .findFirst()
          .orElse(null);
    }
  }

  public static String json(Object value) {
    return JSON.writeValueAsString(value);
  }

  public Response post(String path, String key, String body) {
    return post(path, key, body, "application/json");
  }

  public Response post(String path, String key, String body, String contentType) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).POST(BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request, key);
  }

  public Response put(String path, String key, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .PUT(BodyPublishers.ofString(body))
            .header("Content-Type", "application/json"),
        key);
  }

  /** A POST with extra headers, as name, value pairs. */
  public Response postWithHeaders(String path, String key, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .POST(BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request, key);
  }

  /** Sends a request built elsewhere (odd methods, bodies or headers). */
  public Response send(HttpRequest.Builder request) {
    return send(request, null);
  }

  public String base() {
    return base;
  }

  public Response get(String path, String key, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request, key);
  }

  public Response delete(String path, String key) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), key);
  }

  private Response send(HttpRequest.Builder request, String key) {
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    try {
      HttpResponse<byte[]> response = http.send(request.build(), BodyHandlers.ofByteArray());
      return new Response(response.statusCode(), response.headers().map(), response.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
