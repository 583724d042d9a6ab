package dev.ttsapi.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.request.JobLifecycle;
import dev.ttsapi.request.StatusStore;
import dev.ttsapi.stores.RedisEndpoint;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Status events travel from any node's status writes over Redis pub/sub to GET /tts/events. */
class StatusEventsTest extends IntegrationTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Autowired RedisEndpoint redisEndpoint;
  @Autowired JobLifecycle lifecycle;

  @Test
  void a_stream_carries_every_status_of_the_callers_request_until_completed() throws Exception {
    TestUser user = newUser("events-user", Caller.Role.USER);
    try (EventStreamClient events = new EventStreamClient(api.base(), user.key())) {
      assertThat(events.status()).isEqualTo(200);
      assertThat(events.contentType()).startsWith("text/event-stream");
      events.awaitReady();

      String id = submit(user.key(), "Xin chào thế giới. Tiếng Việt có dấu.");

      List<String> statuses = new ArrayList<>();
      EventStreamClient.Event last;
      do {
        last = events.next(WAIT);
        assertThat(last).as("an event before the request completed").isNotNull();
        assertThat(last.name()).isEqualTo("status");
        assertThat(last.json().path("request_id").asString()).isEqualTo(id);
        assertThat(last.json().path("user_id").asString())
            .isEqualTo(user.caller().userId().toString());
        statuses.add(last.json().path("status").asString());
      } while (!"completed".equals(last.json().path("status").asString()));

      assertThat(statuses.getFirst()).isEqualTo("queued");
      assertThat(statuses).contains("processing");
      assertThat(last.json().path("progress").asDouble()).isEqualTo(1.0);
      assertThat(last.json().path("audio_duration_ms").asLong()).isPositive();
    }
  }

  @Test
  void a_stream_carries_only_the_callers_own_requests() throws Exception {
    TestUser alice = newUser("alice", Caller.Role.USER);
    TestUser bob = newUser("bob", Caller.Role.USER);
    try (EventStreamClient aliceEvents = new EventStreamClient(api.base(), alice.key());
        EventStreamClient bobEvents = new EventStreamClient(api.base(), bob.key())) {
      aliceEvents.awaitReady();
      bobEvents.awaitReady();
      worker().stop();
      String bobs = submit(bob.key(), "Bob's words.");

      assertThat(bobEvents.next(WAIT).json().path("request_id").asString()).isEqualTo(bobs);
      assertThat(aliceEvents.next(Duration.ofMillis(500))).isNull();
    }
  }

  @Test
  void a_status_change_published_by_another_node_reaches_the_stream() throws Exception {
    TestUser user = newUser("remote", Caller.Role.USER);
    try (EventStreamClient events = new EventStreamClient(api.base(), user.key());
        StatefulRedisConnection<String, String> otherNode =
            RedisClient.create(redisEndpoint.url()).connect()) {
      events.awaitReady();
      String message =
          ApiClient.json(
              Map.of(
                  "request_id",
                  UUID.randomUUID().toString(),
                  "user_id",
                  user.caller().userId().toString(),
                  "status",
                  "processing",
                  "progress",
                  0.5));
      otherNode.sync().publish(StatusStore.EVENTS_CHANNEL_PREFIX + user.caller().userId(), message);

      EventStreamClient.Event event = events.next(WAIT);
      assertThat(event).isNotNull();
      assertThat(event.json().path("progress").asDouble()).isEqualTo(0.5);
    }
  }

  @Test
  void a_progress_write_publishes_an_event_with_the_owner_found_in_the_hash() throws Exception {
    TestUser user = newUser("progress", Caller.Role.USER);
    worker().stop();
    String id = submit(user.key(), "Held in the queue.");
    try (EventStreamClient events = new EventStreamClient(api.base(), user.key())) {
      events.awaitReady();
      // What a worker reports while it synthesizes: only the id; the hash knows the owner.
      lifecycle.progress(UUID.fromString(id), 0.25);
      EventStreamClient.Event event = events.next(WAIT);
      assertThat(event).isNotNull();
      assertThat(event.json().path("request_id").asString()).isEqualTo(id);
      assertThat(event.json().path("progress").asDouble()).isEqualTo(0.25);
      assertThat(event.json().path("status").asString()).isEqualTo("queued");
    }
  }

  @Test
  void a_stream_needs_a_key_and_is_bounded_per_user() throws Exception {
    try (EventStreamClient anonymous = new EventStreamClient(api.base(), null)) {
      assertThat(anonymous.status()).isEqualTo(401);
    }
    TestUser user = newUser("greedy", Caller.Role.USER);
    List<EventStreamClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        EventStreamClient stream = new EventStreamClient(api.base(), user.key());
        open.add(stream);
        assertThat(stream.status()).isEqualTo(200);
      }
      try (EventStreamClient ninth = new EventStreamClient(api.base(), user.key())) {
        assertThat(ninth.status()).isEqualTo(429);
      }
    } finally {
      open.forEach(EventStreamClient::close);
    }
  }

  private String submit(String key, String text) {
    ApiClient.Response response =
        api.post(
            "/tts/request",
            key,
            ApiClient.json(
                Map.of("text", text, "format", "wav", "voice_settings", Map.of("language", "vi"))));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("request_id").asString();
  }
}
