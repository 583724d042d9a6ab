package dev.ttsapi.request;

import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * How fast the workers get through the queue, measured on this API node from the status events it
 * hears ({@link StatusEvents}: every node hears every status change, whichever worker made it, so
 * every node measures the whole cluster). Over the last {@link #WINDOW}:
 *
 * <ul>
 *   <li>jobs started per second: a request seen going to {@code processing} (a retry counts again:
 *       it takes a worker again);
 *   <li>the mean run time: from a request's first {@code processing} event to its {@code completed}
 *       or {@code failed} one, for those whose start this node heard.
 * </ul>
 *
 * Nothing is read from PostgreSQL or Redis for it. A node that just started knows nothing yet (both
 * are empty) until jobs run.
 */
@Component
@ConditionalOnRole(Role.API)
public class Throughput {

  /** How far back the measurements look. */
  public static final Duration WINDOW = Duration.ofSeconds(60);

  private static final int SECONDS = (int) WINDOW.toSeconds();
  // Requests whose start was heard and whose end not yet: bounded, the oldest forgotten first.
  private static final int MAX_RUNNING = 10_000;

  private final Clock clock;
  private final long[] startsPerSecond = new long[SECONDS];
  private final long[] finishesPerSecond = new long[SECONDS];
  private final long[] runMillisPerSecond = new long[SECONDS];
  private final long[] bucketSecond = new long[SECONDS];
  private final Map<UUID, Long> running =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Long> eldest) {
          return size() > MAX_RUNNING;
        }
      };

  Throughput(StatusEvents events, Clock clock) {
    this.clock = clock;
    events.subscribeAll((requestId, status, json) -> heard(requestId, status));
  }

  synchronized void heard(UUID requestId, RequestStatus status) {
    long now = clock.millis();
    int bucket = bucket(now);
    if (status == RequestStatus.PROCESSING) {
      if (!running.containsKey(requestId)) {
        running.put(requestId, now);
        startsPerSecond[bucket]++;
      }
    } else if (status.terminal()) {
      Long started = running.remove(requestId);
      if (started != null) {
        finishesPerSecond[bucket]++;
        runMillisPerSecond[bucket] += Math.max(0, now - started);
      }
    }
  }

  /** Jobs workers started per second over the window; empty if none started in it. */
  public synchronized Optional<Double> jobsPerSecond() {
    long now = clock.millis();
    long starts = sum(startsPerSecond, now);
    return starts == 0 ? Optional.empty() : Optional.of(starts / (double) SECONDS);
  }

  /** The mean run time of jobs that ended in the window; empty if none did. */
  public synchronized Optional<Duration> meanRunTime() {
    long now = clock.millis();
    long finished = sum(finishesPerSecond, now);
    return finished == 0
        ? Optional.empty()
        : Optional.of(Duration.ofMillis(sum(runMillisPerSecond, now) / finished));
  }

  /** The ring bucket of {@code millis}, emptied first if it last counted an older second. */
  private int bucket(long millis) {
    long second = millis / 1000;
    int bucket = (int) (second % SECONDS);
    if (bucketSecond[bucket] != second) {
      bucketSecond[bucket] = second;
      startsPerSecond[bucket] = 0;
      finishesPerSecond[bucket] = 0;
      runMillisPerSecond[bucket] = 0;
    }
    return bucket;
  }

  private long sum(long[] counts, long nowMillis) {
    long second = nowMillis / 1000;
    long total = 0;
    for (int i = 0; i < SECONDS; i++) {
      if (second - bucketSecond[i] < SECONDS) {
        total += counts[i];
      }
    }
    return total;
  }
}
