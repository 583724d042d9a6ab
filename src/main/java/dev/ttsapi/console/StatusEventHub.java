package dev.ttsapi.console;

import dev.ttsapi.request.RequestService;
import dev.ttsapi.request.StatusEvents;
import dev.ttsapi.request.StatusStore;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

  private static final Logger log = LoggerFactory.getLogger(StatusEventHub.class);

  /** Most statuses sent again to one user's streams after an outage. */
  private static final int RESENT_MAX = 100;

  private final StatusEvents events;
  private final ConsoleProperties properties;
  private final RequestService requests;
  private final StatusStore statuses;
  private final ConcurrentHashMap<UUID, Set<EventStream>> streams = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private volatile boolean running;
  private volatile StatusEvents.Subscription gaps;

  StatusEventHub(
      StatusEvents events,
      ConsoleProperties properties,
      MeterRegistry registry,
      RequestService requests,
      StatusStore statuses) {
    this.events = events;
    this.properties = properties;
    this.requests = requests;
    this.statuses = statuses;
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

  /**
   * Sends each open stream the current status of its user's unfinished requests and of those
   * changed since {@code since}: the events of that time are lost (Redis was away), and the page
   * would otherwise show them running forever.
   */
  void resend(Instant since) {
    for (Map.Entry<UUID, Set<EventStream>> entry : streams.entrySet()) {
      List<String> missed;
      try {
        missed =
            requests.unfinishedOrChangedSince(entry.getKey(), since, RESENT_MAX).stream()
                .map(statuses::event)
                .toList()
                .reversed(); // oldest first, as they happened
      } catch (RuntimeException e) {
        log.warn("Could not read the statuses an event stream missed: {}", e.toString());
        continue;
      }
      for (EventStream stream : entry.getValue()) {
        missed.forEach(stream::offer);
      }
    }
  }

  @Override
  public void start() {
    running = true;
    gaps = events.afterGaps(this::resend);
  }

  @Override
  public void stop() {
    running = false;
    StatusEvents.Subscription g = gaps;
    if (g != null) {
      g.close();
    }
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
