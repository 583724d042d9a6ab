package dev.ttsapi.request;

import dev.ttsapi.redis.Redis;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Status changes as they happen, on whichever node (API or worker) made them: one Redis pub/sub
 * connection per API node subscribes to the pattern {@code tts_status_events:*} ({@link
 * StatusStore} publishes every write there) and hands each event to this node's listeners of that
 * user: the console's event streams and waiting status polls ({@code Prefer: wait}).
 *
 * <p>Pub/sub is fire and forget, and a subscription can be lost with Redis (a restarted or
 * failed-over Redis knows none). So the subscription is checked: every {@code
 * tts.console.heartbeat} a probe is published on a channel of this node's own under the pattern;
 * when no probe has come back for a few turns it subscribes again (on a new connection if Lettuce's
 * is closed), and once probes arrive again the gap listeners ({@link #afterGaps}) hear since when
 * events were lost, twice (the node's other Redis connection reconnects on its own schedule, so a
 * status written just after the subscription came back may still have had its event lost). Every
 * node hears every user's events: simple, and cheap at a few events per request; subscribing per
 * user would cut that traffic when there are many API nodes.
 */
@Component
@ConditionalOnRole(Role.API)
public class StatusEvents implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(StatusEvents.class);
  static final String PATTERN = StatusStore.EVENTS_CHANNEL_PREFIX + "*";

  /**
   * Hears one user's status events. Called on Redis's event loop: it must hand the event on and
   * return, never wait.
   */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param requestId the request whose status changed
     * @param status its status now (a progress event repeats it)
     * @param json the event: {@code {request_id, user_id, status, progress, error?,
     *     audio_duration_ms?}}
     */
    void onEvent(UUID requestId, RequestStatus status, String json);
  }

  /** A listener's registration; closing it stops the events. */
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  /** Probes missed in a row before the subscription counts as lost. */
  private static final int MISSED_PROBES = 3;

  private final Redis redis;
  private final JsonMapper json;
  private final TaskScheduler scheduler;
  private final Clock clock;
  private final Duration probeEvery;
  private final UUID probe = UUID.randomUUID();
  private final Set<Consumer<Instant>> gapListeners = ConcurrentHashMap.newKeySet();
  private volatile long lastProbeHeard = System.nanoTime();
  private volatile Instant lostSince;
  private volatile ScheduledFuture<?> watching;
  private final ConcurrentHashMap<UUID, Set<Listener>> listeners = new ConcurrentHashMap<>();
  private final Set<Listener> everyone = ConcurrentHashMap.newKeySet();
  private volatile StatefulRedisPubSubConnection<String, String> connection;

  StatusEvents(
      Redis redis,
      JsonMapper json,
      TaskScheduler scheduler,
      Clock clock,
      @Value("${tts.console.heartbeat}") Duration probeEvery) {
    this.redis = redis;
    this.json = json;
    this.scheduler = scheduler;
    this.clock = clock;
    this.probeEvery = probeEvery;
  }

  /**
   * Tells {@code listener} when events were lost and arrive again, with the moment they stopped: it
   * may send its clients the current state of what changed since. Called on a thread of its own.
   */
  public Subscription afterGaps(Consumer<Instant> listener) {
    gapListeners.add(listener);
    return () -> gapListeners.remove(listener);
  }

  /** Starts handing {@code userId}'s status events to {@code listener}. */
  public Subscription subscribe(UUID userId, Listener listener) {
    listeners.compute(
        userId,
        (u, set) -> {
          Set<Listener> mine = set != null ? set : ConcurrentHashMap.newKeySet();
          mine.add(listener);
          return mine;
        });
    return () ->
        listeners.computeIfPresent(
            userId,
            (u, set) -> {
              set.remove(listener);
              return set.isEmpty() ? null : set;
            });
  }

  /** Starts handing every user's status events to {@code listener} (measurements). */
  public Subscription subscribeAll(Listener listener) {
    everyone.add(listener);
    return () -> everyone.remove(listener);
  }

  void deliver(String channel, String message) {
    UUID userId;
    UUID requestId;
    RequestStatus status;
    try {
      userId = UUID.fromString(channel.substring(StatusStore.EVENTS_CHANNEL_PREFIX.length()));
      if (userId.equals(probe)) {
        probeHeard();
        return;
      }
      Set<Listener> mine = listeners.getOrDefault(userId, Set.of());
      if (mine.isEmpty() && everyone.isEmpty()) {
        return;
      }
      JsonNode event = json.readTree(message);
      requestId = UUID.fromString(event.path("request_id").asString());
      status = RequestStatus.fromWire(event.path("status").asString());
      for (Listener listener : mine) {
        listener.onEvent(requestId, status, message);
      }
      for (Listener listener : everyone) {
        listener.onEvent(requestId, status, message);
      }
    } catch (RuntimeException e) {
      log.debug("Status event on {} not understood: {}", channel, e.toString());
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
    watching = scheduler.scheduleWithFixedDelay(this::watch, probeEvery);
  }

  /**
   * One turn of the subscription's check: probe it, and subscribe again while probes do not come
   * back. Lettuce subscribes again by itself after a reconnect, but not to a Redis that lost the
   * subscription another way, and events sent meanwhile are gone either way.
   */
  void watch() {
    long silentFor = System.nanoTime() - lastProbeHeard;
    if (lostSince == null && silentFor > probeEvery.toNanos() * MISSED_PROBES) {
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

  /** On Lettuce's event loop: only notes the probe, and hands the gap on to a virtual thread. */
  private void probeHeard() {
    lastProbeHeard = System.nanoTime();
    Instant since = lostSince;
    if (since != null) {
      lostSince = null;
      log.info("Status events arrive again; telling listeners what they may have missed");
      Thread.ofVirtual().name("status-resend").start(() -> gapClosed(since));
    }
  }

  private void gapClosed(Instant since) {
    gapListeners.forEach(listener -> listener.accept(since));
    try {
      Thread.sleep(probeEvery.multipliedBy(MISSED_PROBES));
    } catch (InterruptedException e) {
      return;
    }
    if (lostSince == null) {
      gapListeners.forEach(listener -> listener.accept(since));
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
    if (c != null) {
      c.close();
    }
  }

  @Override
  public boolean isRunning() {
    return connection != null;
  }

  /** Starts before, and stops after, the console and the waiting polls that listen to it. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 100;
  }
}
