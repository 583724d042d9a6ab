package dev.ttsapi.console;

import dev.ttsapi.redis.Redis;
import dev.ttsapi.request.RequestService;
import dev.ttsapi.request.StatusStore;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Fans status events out to this node's open event streams. One dedicated Redis pub/sub connection
 * subscribes to the pattern {@code tts_status_events:*}, whichever node (API or worker) changed the
 * status; the user's id in the channel name picks the streams.
 *
 * <p>Every node hears every user's events: simple, and cheap at this service's event rates (a few
 * per request). Subscribing per user would cut that traffic when there are many API nodes.
 *
 * <p>Events published while Redis is away are lost, and a subscription can be lost with it (a
 * restarted or failed-over Redis knows none). So the hub checks its own subscription: every {@code
 * tts.console.heartbeat} it publishes a probe on a channel of its own under the pattern; when no
 * probe has come back for a few turns it subscribes again (on a new connection if Lettuce's is
 * closed), and once probes arrive again it sends every open stream the current status of its user's
 * unfinished requests, and of those changed since the events stopped, from PostgreSQL.
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

  /** Probes missed in a row before the subscription counts as lost. */
  private static final int MISSED_PROBES = 3;

  /** Most statuses sent again to one user's streams after an outage. */
  private static final int RESENT_MAX = 100;

  private final Redis redis;
  private final ConsoleProperties properties;
  private final RequestService requests;
  private final StatusStore statuses;
  private final TaskScheduler scheduler;
  private final Clock clock;
  private final UUID probe = UUID.randomUUID();
  private volatile long lastProbeHeard = System.nanoTime();
  private volatile Instant lostSince;
  private volatile ScheduledFuture<?> watching;
  private final ConcurrentHashMap<UUID, Set<EventStream>> streams = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private volatile StatefulRedisPubSubConnection<String, String> connection;

  StatusEventHub(
      Redis redis,
      ConsoleProperties properties,
      MeterRegistry registry,
      RequestService requests,
      StatusStore statuses,
      TaskScheduler scheduler,
      Clock clock) {
    this.redis = redis;
    this.properties = properties;
    this.requests = requests;
    this.statuses = statuses;
    this.scheduler = scheduler;
    this.clock = clock;
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
    if (userId.equals(probe)) {
      probeHeard();
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
    connection = c;
    try {
      c.sync().psubscribe(PATTERN);
      log.info("Listening for status events on {}", PATTERN);
    } catch (RuntimeException e) {
      // Redis away at start: the watch below subscribes once it answers.
      log.warn("Could not subscribe to status events yet: {}", e.toString());
    }
    lastProbeHeard = System.nanoTime();
    watching = scheduler.scheduleWithFixedDelay(this::watch, properties.heartbeat());
  }

  /**
   * One turn of the subscription's check: probe it, and subscribe again while probes do not come
   * back. Lettuce subscribes again by itself after a reconnect, but not to a Redis that lost the
   * subscription another way, and events sent meanwhile are gone either way.
   */
  void watch() {
    long silentFor = System.nanoTime() - lastProbeHeard;
    if (lostSince == null && silentFor > properties.heartbeat().toNanos() * MISSED_PROBES) {
      lostSince = clock.instant().minusNanos(silentFor);
      log.warn("Status events stopped arriving; subscribing again until they do");
    }
    try {
      if (lostSince != null) {
        resubscribe();
      }
      redis.sync().publish(StatusStore.EVENTS_CHANNEL_PREFIX + probe, "{}");
    } catch (RuntimeException e) {
      // Redis away: events are being lost now, however short the outage turns out to be.
      if (lostSince == null) {
        lostSince = clock.instant().minusNanos(silentFor);
        log.warn(
            "Status events cannot be received ({}); subscribing again once Redis answers",
            e.toString());
      }
    }
  }

  private void resubscribe() {
    StatefulRedisPubSubConnection<String, String> c = connection;
    if (c != null && !c.isOpen()) {
      ScheduledFuture<?> old = watching;
      c.close();
      start(); // a new connection, listener, subscription and watch, which replaces this one
      if (old != null) {
        old.cancel(false);
      }
      return;
    }
    if (c != null) {
      c.sync().psubscribe(PATTERN);
    }
  }

  /** On Lettuce's event loop: only notes the probe, and hands a resend to a virtual thread. */
  private void probeHeard() {
    lastProbeHeard = System.nanoTime();
    Instant since = lostSince;
    if (since != null) {
      lostSince = null;
      log.info("Status events arrive again; sending open streams what they missed");
      Thread.ofVirtual().name("status-resend").start(() -> resendTwice(since));
    }
  }

  /**
   * Resends now, and once more a few turns later: the node's other Redis connection reconnects on
   * its own schedule, so a status change whose event it failed to send may land just after the
   * subscription came back.
   */
  private void resendTwice(Instant since) {
    resend(since);
    try {
      Thread.sleep(properties.heartbeat().multipliedBy(MISSED_PROBES));
    } catch (InterruptedException e) {
      return;
    }
    if (lostSince == null) {
      resend(since);
    }
  }

  /**
   * Sends each open stream the current status of its user's unfinished requests and of those
   * changed since {@code since}: the events of that time are lost, the page would otherwise show
   * them running forever.
   */
  void resend(Instant since) {
    for (Map.Entry<UUID, Set<EventStream>> entry : streams.entrySet()) {
      List<String> events;
      try {
        events =
            requests.unfinishedOrChangedSince(entry.getKey(), since, RESENT_MAX).stream()
                .map(statuses::event)
                .toList()
                .reversed(); // oldest first, as they happened
      } catch (RuntimeException e) {
        log.warn("Could not read the statuses an event stream missed: {}", e.toString());
        continue;
      }
      for (EventStream stream : entry.getValue()) {
        events.forEach(stream::offer);
      }
    }
  }

  @Override
  public void stop() {
    ScheduledFuture<?> w = watching;
    watching = null;
    if (w != null) {
      w.cancel(false);
    }
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
