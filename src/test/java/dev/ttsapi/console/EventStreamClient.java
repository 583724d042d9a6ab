package dev.ttsapi.console;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads {@code GET /tts/events} over plain HTTP as a non-browser client would. */
public final class EventStreamClient implements AutoCloseable {

  public record Event(String name, String data) {
    public JsonNode json() {
      return JSON.readTree(data);
    }
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http = HttpClient.newHttpClient();
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final HttpResponse<Stream<String>> response;

  public EventStreamClient(String base, String key) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/tts/events"))
            .header("Accept", "text/event-stream")
            .GET();
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    if (response.statusCode() == 200) {
      Thread.ofVirtual().start(this::read);
    }
  }

  public int status() {
    return response.statusCode();
  }

  String contentType() {
    return response.headers().firstValue("Content-Type").orElse("");
  }

  private void read() {
    String name = "message";
    List<String> data = new ArrayList<>();
    try (Stream<String> lines = response.body()) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.isEmpty()) {
          if (!data.isEmpty()) {
            events.add(new Event(name, String.join("\n", data)));
          }
          name = "message";
          data.clear();
        } else if (line.startsWith("event:")) {
          name = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.add(line.substring(5).stripLeading());
        }
      }
    } catch (RuntimeException e) {
      // closed
    }
  }

  /** The next event, or null after the timeout. */
  public Event next(Duration timeout) throws InterruptedException {
    return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public Event awaitReady() throws InterruptedException {
    Event first = next(Duration.ofSeconds(10));
    if (first == null || !first.name().equals("ready")) {
      throw new AssertionError("expected a ready event, got " + first);
    }
    return first;
  }

  @Override
  public void close() {
    CompletableFuture.runAsync(() -> response.body().close());
    http.shutdownNow();
  }
}
