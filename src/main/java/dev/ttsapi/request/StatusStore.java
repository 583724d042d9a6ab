package dev.ttsapi.request;

import dev.ttsapi.queue.Priority;
import dev.ttsapi.redis.Redis;
import dev.ttsapi.redis.RedisScript;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fast copy of each request's status, in the seed's Redis hash {@code tts_status:<id>}.
 * PostgreSQL stays the truth: every change is written there first, and a poll that finds no hash
 * reads the row.
 *
 * <p>Every write also publishes a small JSON message on the Redis channel {@code
 * tts_status_events:<user_id>} ({@link #EVENTS_CHANNEL_PREFIX}), so an API node streaming events to
 * that user hears about a change made by a worker on another node. Pub/sub is fire and forget: a
 * listener that misses a message reads the hash (or the row) again.
 */
@Component
public class StatusStore {

  static final Duration TTL = Duration.ofDays(1);

  /** Channel prefix of status events; the user's id follows. */
  public static final String EVENTS_CHANNEL_PREFIX = "tts_status_events:";

  private static final List<String> OPTIONAL_FIELDS =
      List.of("started_at", "completed_at", "error", "audio_bytes", "audio_duration_ms");

  private final Redis redis;
  private final Clock clock;
  private final JsonMapper json;

  StatusStore(Redis redis, Clock clock, JsonMapper json) {
    this.json = json;
    this.redis = redis;
    this.clock = clock;
  }

  static String key(UUID id) {
    return "tts_status:" + id;
  }

  /**
   * Sends the whole snapshot, its expiry and its event as one command without waiting, so it
   * travels in the same round trip as the caller's other commands; the caller waits on the returned
   * future.
   */
  CompletableFuture<Long> writeAsync(StatusSnapshot s) {
    Map<String, String> fields = new HashMap<>();
    fields.put("user_id", s.userId().toString());
    fields.put("status", s.status().wireName());
    fields.put("progress", Double.toString(s.progress()));
    fields.put("voice", s.voice());
    fields.put("format", s.format());
    fields.put("created_at", s.createdAt().toString());
    put(fields, "priority", s.priority() == null ? null : s.priority().wireName());
    fields.put("updated_at", clock.instant().toString());
    put(fields, "started_at", s.startedAt());
    put(fields, "completed_at", s.completedAt());
    put(fields, "error", s.error());
    put(fields, "audio_bytes", s.audioBytes());
    put(fields, "audio_duration_ms", s.audioDurationMs());
    // Never cleared: a request's SSML report only gains its marks.
    put(fields, "ssml", s.ssml());
    // A field that is empty now (the error of an earlier attempt) must not linger in the hash.
    List<String> cleared = OPTIONAL_FIELDS.stream().filter(f -> !fields.containsKey(f)).toList();
    List<String> args = new ArrayList<>();
    args.add(Long.toString(TTL.toSeconds()));
    args.add(EVENTS_CHANNEL_PREFIX + s.userId());
    args.add(event(s));
    args.add(Integer.toString(cleared.size()));
    args.addAll(cleared);
    fields.forEach(
        (name, value) -> {
          args.add(name);
          args.add(value);
        });
    return redis.evalAsync(RedisScript.STATUS_WRITE, List.of(key(s.id())), args);
  }

  /** Writes the snapshot and waits for Redis; a Redis failure is left to the caller. */
  void write(StatusSnapshot s) {
    Redis.await(writeAsync(s));
  }

  /**
   * Only the progress field, while a worker synthesizes; the script finds the owner in the hash, so
   * the event goes out in the same round trip. Sent, not waited for.
   */
  CompletableFuture<Long> progressAsync(UUID id, double progress) {
    return redis.evalAsync(
        RedisScript.STATUS_PROGRESS,
        List.of(key(id)),
        List.of(Double.toString(progress), id.toString(), EVENTS_CHANNEL_PREFIX));
  }

  /**
   * The status event of {@code s} as it is published: enough for a page to redraw the request, not
   * the whole snapshot. Also what an event stream sends again after events were lost.
   */
  public String event(StatusSnapshot s) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("request_id", s.id().toString());
    event.put("user_id", s.userId().toString());
    event.put("status", s.status().wireName());
    event.put("progress", s.progress());
    if (s.error() != null) {
      event.put("error", s.error());
    }
    if (s.audioDurationMs() != null) {
      event.put("audio_duration_ms", s.audioDurationMs());
    }
    return json.writeValueAsString(event);
  }

  Optional<StatusSnapshot> read(UUID id) {
    return Redis.await(readAsync(id));
  }

  /** {@link #read}, sent without waiting, so it can share a round trip with other commands. */
  CompletableFuture<Optional<StatusSnapshot>> readAsync(UUID id) {
    return redis.async().hgetall(key(id)).toCompletableFuture().thenApply(h -> snapshot(id, h));
  }

  private static Optional<StatusSnapshot> snapshot(UUID id, Map<String, String> h) {
    if (h == null || !h.containsKey("status") || !h.containsKey("user_id")) {
      return Optional.empty();
    }
    return Optional.of(
        new StatusSnapshot(
            id,
            UUID.fromString(h.get("user_id")),
            RequestStatus.fromWire(h.get("status")),
            Double.parseDouble(h.getOrDefault("progress", "0")),
            h.get("voice"),
            h.get("format"),
            Instant.parse(h.get("created_at")),
            instant(h.get("started_at")),
            instant(h.get("completed_at")),
            h.get("error"),
            longValue(h.get("audio_bytes")),
            longValue(h.get("audio_duration_ms")),
            h.get("priority") == null ? null : Priority.parse(h.get("priority")).orElse(null),
            h.get("ssml")));
  }

  private static void put(Map<String, String> fields, String name, Object value) {
    if (value != null) {
      fields.put(name, value.toString());
    }
  }

  private static Instant instant(String value) {
    return value == null ? null : Instant.parse(value);
  }

  private static Long longValue(String value) {
    return value == null ? null : Long.valueOf(value);
  }
}
