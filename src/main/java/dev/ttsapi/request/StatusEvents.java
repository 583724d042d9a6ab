package dev.ttsapi.request;

import dev.ttsapi.redis.Redis;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Status changes as they happen, on whichever node (API or worker) made them: one Redis pub/sub
 * connection per API node subscribes to the pattern {@code tts_status_events:*} ({@link
 * StatusStore} publishes every write there) and hands each event to this node's listeners of that
 * user: the console's event streams and waiting status polls ({@code Prefer: wait}).
 *
 * <p>Pub/sub is fire and forget: a listener that may have missed an event (Redis reconnected) reads
 * the status again. Every node hears every user's events: simple, and cheap at a few events per
 * request; subscribing per user would cut that traffic when there are many API nodes.
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

  private final Redis redis;
  private final JsonMapper json;
  private final ConcurrentHashMap<UUID, Set<Listener>> listeners = new ConcurrentHashMap<>();
  private final Set<Listener> everyone = ConcurrentHashMap.newKeySet();
  private volatile StatefulRedisPubSubConnection<String, String> connection;

  StatusEvents(Redis redis, JsonMapper json) {
    this.redis = redis;
    this.json = json;
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
    // Lettuce subscribes again by itself after a reconnect.
    c.sync().psubscribe(PATTERN);
    connection = c;
    log.info("Listening for status events on {}", PATTERN);
  }

  @Override
  public void stop() {
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
