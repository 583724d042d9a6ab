package dev.ttsapi.speech;

import dev.ttsapi.audio.Pcm;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Streaming synthesis across processes, through Redis. An API node adds a {@link LiveJob} to the
 * stream {@value #JOBS} (consumer group {@value #GROUP}); a worker takes it and adds each chunk's
 * PCM, in order, to the request's own stream {@code tts_live:<id>}, then an end marker (or an
 * error). The API node reads that stream with a blocking XREAD as the entries come. A client that
 * goes away sets {@code tts_live:<id>:cancel}; the worker checks it before every chunk. Every key
 * expires after {@code tts.openai-api.live-ttl}.
 *
 * <p>Live jobs are delivered at most once (acknowledged when taken): a client cannot wait for a
 * crashed worker's job to be reclaimed, so it gets an error instead and may ask again.
 */
@Component
class LiveChannel {

  static final String JOBS = "{tts}:q:live";
  static final String GROUP = "live-workers";
  private static final long MAX_QUEUED_JOBS = 10_000;

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> shared;
  private final OpenAiApiProperties properties;
  private final Clock clock;

  LiveChannel(
      RedisClient client,
      StatefulRedisConnection<String, String> shared,
      OpenAiApiProperties properties,
      Clock clock) {
    this.client = client;
    this.shared = shared;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * What a worker needs to speak a live request: there is no database row.
   *
   * @param expiresAt a worker that takes the job later drops it (the client has given up)
   */
  record LiveJob(
      UUID id, String text, String voice, double speed, int sampleRate, Instant expiresAt) {}

  /** One entry of a request's chunk stream. */
  sealed interface Entry {
    record Chunk(Pcm pcm) implements Entry {}

    record End(long characters) implements Entry {}

    record Failed(String error) implements Entry {}
  }

  static String chunkKey(UUID id) {
    return "tts_live:" + id;
  }

  private static String cancelKey(UUID id) {
    return "tts_live:" + id + ":cancel";
  }

  void ensureGroup() {
    try {
      shared
          .sync()
          .xgroupCreate(
              StreamOffset.from(JOBS, "0"), GROUP, XGroupCreateArgs.Builder.mkstream(true));
    } catch (RedisBusyException alreadyThere) {
      // BUSYGROUP: the group exists
    }
  }

  // ---- API side

  void enqueue(LiveJob job) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("id", job.id().toString());
    body.put("text", job.text());
    body.put("voice", job.voice());
    body.put("speed", Double.toString(job.speed()));
    body.put("sample_rate", Integer.toString(job.sampleRate()));
    body.put("expires_at", job.expiresAt().toString());
    shared.sync().xadd(JOBS, XAddArgs.Builder.maxlen(MAX_QUEUED_JOBS).approximateTrimming(), body);
  }

  /** Reads one request's chunks in order, on a connection of its own (its reads block). */
  Subscription subscribe(UUID id) {
    return new Subscription(id, client.connect());
  }

  final class Subscription implements AutoCloseable {
    private final UUID id;
    private final StatefulRedisConnection<String, String> connection;
    private String lastId = "0-0";

    private Subscription(UUID id, StatefulRedisConnection<String, String> connection) {
      this.id = id;
      this.connection = connection;
    }

    /** The next entry, waiting at most {@code timeout}; empty if none came in time. */
    Optional<Entry> next(Duration timeout) {
      List<StreamMessage<String, String>> messages =
          connection
              .sync()
              .xread(
                  XReadArgs.Builder.block(timeout).count(1),
                  StreamOffset.from(chunkKey(id), lastId));
      if (messages == null || messages.isEmpty()) {
        return Optional.empty();
      }
      StreamMessage<String, String> message = messages.getFirst();
      lastId = message.getId();
      return Optional.of(parse(message.getBody()));
    }

    /** Tells the worker to stop and drops what it sent. */
    void cancel() {
      RedisCommands<String, String> redis = shared.sync();
      redis.setex(cancelKey(id), properties.liveTtl().toSeconds(), "1");
      redis.del(chunkKey(id));
    }

    @Override
    public void close() {
      try {
        shared.sync().del(chunkKey(id));
      } finally {
        connection.close();
      }
    }
  }

  private static Entry parse(Map<String, String> body) {
    if (body.containsKey("pcm")) {
      return new Entry.Chunk(
          new Pcm(Base64.getDecoder().decode(body.get("pcm")), Integer.parseInt(body.get("rate"))));
    }
    if (body.containsKey("end")) {
      return new Entry.End(Long.parseLong(body.get("end")));
    }
    return new Entry.Failed(body.getOrDefault("error", "unknown error"));
  }

  // ---- worker side

  /** Takes the next live job for {@code consumer}, waiting up to {@code block}. */
  Optional<LiveJob> take(
      StatefulRedisConnection<String, String> connection, String consumer, Duration block) {
    List<StreamMessage<String, String>> messages =
        connection
            .sync()
            .xreadgroup(
                Consumer.from(GROUP, consumer),
                XReadArgs.Builder.block(block).count(1),
                StreamOffset.lastConsumed(JOBS));
    if (messages == null || messages.isEmpty()) {
      return Optional.empty();
    }
    StreamMessage<String, String> message = messages.getFirst();
    RedisCommands<String, String> redis = connection.sync();
    redis.xack(JOBS, GROUP, message.getId());
    redis.xdel(JOBS, message.getId());
    Map<String, String> b = message.getBody();
    try {
      return Optional.of(
          new LiveJob(
              UUID.fromString(b.get("id")),
              b.get("text"),
              b.get("voice"),
              Double.parseDouble(b.get("speed")),
              Integer.parseInt(b.get("sample_rate")),
              Instant.parse(b.get("expires_at"))));
    } catch (RuntimeException malformed) {
      return Optional.empty();
    }
  }

  boolean expired(LiveJob job) {
    return clock.instant().isAfter(job.expiresAt());
  }

  boolean cancelled(UUID id) {
    return shared.sync().exists(cancelKey(id)) > 0;
  }

  void sendChunk(UUID id, Pcm pcm) {
    send(
        id,
        Map.of(
            "pcm",
            Base64.getEncoder().encodeToString(pcm.samples()),
            "rate",
            Integer.toString(pcm.sampleRate())));
  }

  void sendEnd(UUID id, long characters) {
    send(id, Map.of("end", Long.toString(characters)));
  }

  void sendFailure(UUID id, String error) {
    send(id, Map.of("error", error == null ? "synthesis failed" : error));
  }

  private void send(UUID id, Map<String, String> body) {
    RedisCommands<String, String> redis = shared.sync();
    redis.xadd(chunkKey(id), body);
    redis.expire(chunkKey(id), properties.liveTtl().toSeconds());
  }
}
