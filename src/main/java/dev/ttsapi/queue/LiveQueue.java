package dev.ttsapi.queue;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.redis.Redis;
import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Streamed synthesis across processes, through Redis. An API node adds a {@link LiveJob} to the
 * stream {@value QueueKeys#LIVE_JOBS} (consumer group {@value QueueKeys#LIVE_GROUP}); a worker
 * takes it and adds each chunk's PCM, in order, to the request's own stream {@code tts_live:<id>},
 * then an end marker (or an error). The API node reads that stream with a blocking XREAD as the
 * entries come, on a connection of its own whose timeout outlasts the wait. A client that goes away
 * sets {@code tts_live:<id>:cancel}; the worker checks it before every chunk. Every key expires
 * after the live TTL ({@code tts.openai-api.live-ttl}).
 *
 * <p>Live jobs are delivered at most once (acknowledged when taken): a client cannot wait for a
 * crashed worker's job to be reclaimed, so it gets an error instead and may ask again.
 */
public final class LiveQueue {

  private static final long MAX_QUEUED_JOBS = 10_000;

  private final Redis redis;
  private final QueueGroups groups;
  private final Duration ttl;
  private final Clock clock;

  LiveQueue(Redis redis, QueueGroups groups, Duration ttl, Clock clock) {
    this.redis = redis;
    this.groups = groups;
    this.ttl = ttl;
    this.clock = clock;
  }

  /**
   * What a worker needs to speak a live request: there is no database row.
   *
   * @param expiresAt a worker that takes the job later drops it (the client has given up)
   */
  public record LiveJob(
      UUID id, String text, String voice, double speed, int sampleRate, Instant expiresAt) {}

  /** One entry of a request's chunk stream. */
  public sealed interface Entry {
    /**
     * @param timings what the worker says is heard in it (the timings of its words, as JSON the
     *     queue does not read); null when it sent none
     */
    record Chunk(Pcm pcm, String timings) implements Entry {}

    record End(long characters) implements Entry {}

    record Failed(String error) implements Entry {}
  }

  static String chunkKey(UUID id) {
    return "tts_live:" + id;
  }

  private static String cancelKey(UUID id) {
    return "tts_live:" + id + ":cancel";
  }

  // ---- API side

  public void enqueue(LiveJob job) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("id", job.id().toString());
    body.put("text", job.text());
    body.put("voice", job.voice());
    body.put("speed", Double.toString(job.speed()));
    body.put("sample_rate", Integer.toString(job.sampleRate()));
    body.put("expires_at", job.expiresAt().toString());
    redis
        .sync()
        .xadd(
            QueueKeys.LIVE_JOBS,
            XAddArgs.Builder.maxlen(MAX_QUEUED_JOBS).approximateTrimming(),
            body);
  }

  /**
   * Reads one request's chunks in order, on a connection of its own whose timeout outlasts {@code
   * longestWait}: a chunk slower than the shared connection's command timeout is waited for, not
   * cut off.
   */
  public Subscription subscribe(UUID id, Duration longestWait) {
    return new Subscription(id, redis.blocking(longestWait));
  }

  /** The chunks of one request, read by its API node. */
  public final class Subscription implements AutoCloseable {
    private final UUID id;
    private final Redis.BlockingConnection connection;
    private String lastId = "0-0";

    private Subscription(UUID id, Redis.BlockingConnection connection) {
      this.id = id;
      this.connection = connection;
    }

    /** The next entry, waiting at most {@code timeout}; empty if none came in time. */
    public Optional<Entry> next(Duration timeout) {
      List<StreamMessage<String, String>> messages =
          connection
              .commands()
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
    public void cancel() {
      redis.sync().setex(cancelKey(id), ttl.toSeconds(), "1");
      redis.sync().del(chunkKey(id));
    }

    @Override
    public void close() {
      try {
        redis.sync().del(chunkKey(id));
      } finally {
        connection.close();
      }
    }
  }

  private static Entry parse(Map<String, String> body) {
    if (body.containsKey("pcm")) {
      return new Entry.Chunk(
          new Pcm(Base64.getDecoder().decode(body.get("pcm")), Integer.parseInt(body.get("rate"))),
          body.get("timings"));
    }
    if (body.containsKey("end")) {
      return new Entry.End(Long.parseLong(body.get("end")));
    }
    return new Entry.Failed(body.getOrDefault("error", "unknown error"));
  }

  // ---- worker side

  /** A connection for a worker's blocking reads of live jobs. */
  public Redis.BlockingConnection readerConnection(Duration block) {
    return redis.blocking(block);
  }

  /**
   * Takes the next live job for {@code consumer}, waiting up to {@code block}; acknowledged at once
   * (at most once). A lost group (Redis lost its data) is made again.
   */
  public Optional<LiveJob> take(
      Redis.BlockingConnection connection, String consumer, Duration block) {
    RedisClusterCommands<String, String> commands = connection.commands();
    List<StreamMessage<String, String>> messages;
    try {
      messages =
          commands.xreadgroup(
              Consumer.from(QueueKeys.LIVE_GROUP, consumer),
              XReadArgs.Builder.block(block).count(1),
              StreamOffset.lastConsumed(QueueKeys.LIVE_JOBS));
    } catch (RuntimeException e) {
      if (QueueGroups.lost(e)) {
        groups.ensure();
        return Optional.empty();
      }
      throw e;
    }
    if (messages == null || messages.isEmpty()) {
      return Optional.empty();
    }
    StreamMessage<String, String> message = messages.getFirst();
    commands.xack(QueueKeys.LIVE_JOBS, QueueKeys.LIVE_GROUP, message.getId());
    commands.xdel(QueueKeys.LIVE_JOBS, message.getId());
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

  public boolean expired(LiveJob job) {
    return clock.instant().isAfter(job.expiresAt());
  }

  public boolean cancelled(UUID id) {
    return redis.sync().exists(cancelKey(id)) > 0;
  }

  public void sendChunk(UUID id, Pcm pcm) {
    sendChunk(id, pcm, null);
  }

  /** A chunk with what is heard in it ({@code timings}: JSON, or null for none). */
  public void sendChunk(UUID id, Pcm pcm, String timings) {
    Map<String, String> body = new java.util.HashMap<>();
    body.put("pcm", Base64.getEncoder().encodeToString(pcm.samples()));
    body.put("rate", Integer.toString(pcm.sampleRate()));
    if (timings != null) {
      body.put("timings", timings);
    }
    send(id, body);
  }

  public void sendEnd(UUID id, long characters) {
    send(id, Map.of("end", Long.toString(characters)));
  }

  public void sendFailure(UUID id, String error) {
    send(id, Map.of("error", error == null ? "synthesis failed" : error));
  }

  private void send(UUID id, Map<String, String> body) {
    redis.sync().xadd(chunkKey(id), body);
    redis.sync().expire(chunkKey(id), ttl.toSeconds());
  }
}
