package dev.ttsapi.console;

import dev.ttsapi.request.StatusEvents;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Fans status events out to this node's open event streams: each stream listens to its user's
 * events through {@link StatusEvents} (one pub/sub connection per node, whichever node changed the
 * status).
 */
@Component
@ConditionalOnRole(Role.API)
class StatusEventHub implements SmartLifecycle {

  /** Why a stream was not opened. */
  enum Refusal {
    NODE_FULL,
    USER_FULL
  }

  private final StatusEvents events;
  private final ConsoleProperties properties;
  private final ConcurrentHashMap<UUID, Set<EventStream>> streams = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private volatile boolean running;

  StatusEventHub(StatusEvents events, ConsoleProperties properties, MeterRegistry registry) {
    this.events = events;
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
      StatusEvents.Subscription[] subscription = new StatusEvents.Subscription[1];
      self[0] =
          new EventStream(
              userId,
              emitter,
              properties.streamBuffer(),
              properties.heartbeat().toMillis(),
              () -> {
                subscription[0].close();
                remove(self[0]);
              });
      subscription[0] = events.subscribe(userId, (requestId, status, json) -> self[0].offer(json));
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

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    streams.values().forEach(set -> set.forEach(EventStream::close));
  }

  @Override
  public boolean isRunning() {
    return running;
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
