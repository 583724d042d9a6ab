package dev.ttsapi.console;

import dev.ttsapi.redis.Redis;
import dev.ttsapi.request.StatusStore;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Fans status events out to this node's open event streams. One dedicated Redis pub/sub connection
 * subscribes to the pattern {@code tts_status_events:*}, whichever node (API or worker) changed the
 * status; the user's id in the channel name picks the streams.
 *
 * <p>Every node hears every user's events: simple, and cheap at this service's event rates (a few
 * per request). Subscribing per user would cut that traffic when there are many API nodes.
 */
@Component
@ConditionalOnRole(Role.API)
class StatusEventHub implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(StatusEventHub.class);
  static final String PATTERN = StatusStore.EVENTS_CHANNEL_PREFIX + "*";

  /** Why a stream was not opened. */
  enum Refusal {
    NODE_FULL,
    USER_FULL
  }

  private final Redis redis;
  private final ConsoleProperties properties;
  private final ConcurrentHashMap<UUID, Set<EventStream>> streams = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private volatile StatefulRedisPubSubConnection<String, String> connection;

  StatusEventHub(Redis redis, ConsoleProperties properties, MeterRegistry registry) {
    this.redis = redis;
    this.properties = properties;
    Gauge.builder("tts.console.streams", open, AtomicInteger::get)
        .description("Open GET /tts/events streams on this node")
        .register(registry);
  }

  /** Opens a stream of the user's status events, or says why not. */
  Opened open(UUID userId) {
    if (open.incrementAndGet() > properties.maxStreams()) {
      open.decrementAndGet();
      return new Opened(null, Refusal.NODE_FULL);
    }
    Set<EventStream> mine = streams.computeIfAbsent(userId, u -> ConcurrentHashMap.newKeySet());
    synchronized (mine) {
      if (mine.size() >= properties.maxStreamsPerUser()) {
        open.decrementAndGet();
        return new Opened(null, Refusal.USER_FULL);
      }
      SseEmitter emitter = new SseEmitter(properties.streamTimeout().toMillis());
      EventStream[] self = new EventStream[1];
      self[0] =
          new EventStream(
              userId,
              emitter,
              properties.streamBuffer(),
              properties.heartbeat().toMillis(),
              () -> remove(self[0]));
      mine.add(self[0]);
      self[0].start();
      return new Opened(self[0], null);
    }
  }

  /** The stream opened, or the refusal. */
  record Opened(EventStream stream, Refusal refusal) {}

  int openStreams() {
    return open.get();
  }

  private void remove(EventStream stream) {
    Set<EventStream> mine = streams.get(stream.userId());
    if (mine != null && mine.remove(stream)) {
      open.decrementAndGet();
      streams.computeIfPresent(stream.userId(), (u, set) -> set.isEmpty() ? null : set);
    }
  }

  /** Called on Lettuce's event loop: only hands the message to the streams' buffers. */
  void deliver(String channel, String message) {
    UUID userId;
    try {
      userId = UUID.fromString(channel.substring(StatusStore.EVENTS_CHANNEL_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return;
    }
    Set<EventStream> mine = streams.get(userId);
    if (mine != null) {
      for (EventStream stream : mine) {
        stream.offer(message);
      }
    }
  }

  @Override
  public void start() {
    StatefulRedisPubSubConnection<String, String> c = redis.pubSub();
    c.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String pattern, String channel, String message) {
            deliver(channel, message);
          }
        });
    // Lettuce subscribes again by itself after a reconnect.
    c.sync().psubscribe(PATTERN);
    connection = c;
    log.info("Listening for status events on {}", PATTERN);
  }

  @Override
  public void stop() {
    StatefulRedisPubSubConnection<String, String> c = connection;
    connection = null;
    streams.values().forEach(set -> set.forEach(EventStream::close));
    if (c != null) {
      c.close();
    }
  }

  @Override
  public boolean isRunning() {
    return connection != null;
  }

  /**
   * The default phase stops before the web server's graceful shutdown, which would otherwise wait
   * for the open streams until its timeout.
   */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE;
  }
}
