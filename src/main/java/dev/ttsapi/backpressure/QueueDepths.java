package dev.ttsapi.backpressure;

import dev.ttsapi.queue.Priority;
import dev.ttsapi.queue.QueueInspector;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Queue depths per priority ({@code XLEN} of each stream, plus the jobs held back outside the
 * streams by the per-user cap) and the dead-letter count, read at most once per {@code
 * tts.observability.queue-depth-cache} however often Prometheus scrapes or the API checks its
 * limit. While Redis is unreachable the last known depths are kept.
 */
@Component
public class QueueDepths {

  private static final Logger log = LoggerFactory.getLogger(QueueDepths.class);

  /**
   * Depths at one moment.
   *
   * @param depths per priority, jobs waiting or running: in the stream or held back
   * @param held per priority, the jobs of {@code depths} held back by the per-user cap
   */
  public record Snapshot(
      Map<Priority, Long> depths, Map<Priority, Long> held, long deadLetters, Instant readAt) {
    public long total() {
      return depths.values().stream().mapToLong(Long::longValue).sum();
    }

    public long heldTotal() {
      return held.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private final QueueInspector queue;
  private final Clock clock;
  private final Duration maxAge;
  private volatile Snapshot last;

  QueueDepths(
      QueueInspector queue,
      Clock clock,
      BackpressureProperties properties,
      MeterRegistry registry) {
    this.queue = queue;
    this.clock = clock;
    this.maxAge = properties.queueDepthCache();
    Map<Priority, Long> empty = new EnumMap<>(Priority.class);
    for (Priority p : Priority.values()) {
      empty.put(p, 0L);
    }
    this.last = new Snapshot(empty, empty, 0, Instant.EPOCH);
    for (Priority priority : Priority.values()) {
      Gauge.builder("tts.queue.length", this, d -> d.current().depths().get(priority))
          .description("Jobs waiting or running per priority, held back by the per-user cap or not")
          .tag("priority", priority.wireName())
          .register(registry);
      Gauge.builder("tts.queue.held", this, d -> d.current().held().get(priority))
          .description("Jobs waiting outside the streams because their user has the cap's worth in")
          .tag("priority", priority.wireName())
          .register(registry);
    }
    Gauge.builder("tts.queue.dead.letters", this, d -> d.current().deadLetters())
        .description("Entries in the dead-letter stream")
        .register(registry);
  }

  /** The depths, read again from Redis if the cached ones are older than the cache time. */
  public Snapshot current() {
    Snapshot snapshot = last;
    if (Duration.between(snapshot.readAt(), clock.instant()).compareTo(maxAge) < 0) {
      return snapshot;
    }
    synchronized (this) {
      if (last != snapshot) {
        return last;
      }
      try {
        last = read();
      } catch (RuntimeException e) {
        log.debug("Queue depths not read: {}", e.toString());
      }
      return last;
    }
  }

  /** Reads the depths now, bypassing the cache. */
  public Snapshot read() {
    Map<Priority, Long> held = queue.heldDepths();
    Map<Priority, Long> depths = new EnumMap<>(Priority.class);
    queue.depths().forEach((p, inStream) -> depths.put(p, inStream + held.get(p)));
    return new Snapshot(depths, held, queue.deadLetterCount(), clock.instant());
  }
}
