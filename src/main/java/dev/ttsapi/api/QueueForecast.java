package dev.ttsapi.api;

import dev.ttsapi.queue.Priority;
import dev.ttsapi.queue.QueueInspector;
import dev.ttsapi.queue.QueueInspector.Placed;
import dev.ttsapi.queue.QueuePlace;
import dev.ttsapi.redis.Redis;
import dev.ttsapi.request.RequestIds;
import dev.ttsapi.request.Throughput;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A queued job's place and when it should be done: the place from the queue ({@link
 * QueueInspector#place}), the time from the throughput measured on this node ({@link Throughput}).
 * The jobs a worker takes before it are those waiting in higher priorities, those ahead of it in
 * its own, and, for a job the per-user cap holds, the user's own jobs before it; they start at the
 * measured rate, and it then runs for the measured mean run time. An estimate: other users' new
 * high-priority jobs, retries and a changing number of workers move it.
 */
@Component
@ConditionalOnRole(Role.API)
class QueueForecast {

  private static final Logger log = LoggerFactory.getLogger(QueueForecast.class);

  private final QueueInspector queue;
  private final Throughput throughput;

  QueueForecast(QueueInspector queue, Throughput throughput) {
    this.queue = queue;
    this.throughput = throughput;
  }

  /** Where a queued request stands; empty if Redis cannot say. */
  Optional<Forecast> ofQueued(UUID requestId, UUID userId, Priority priority) {
    return ofQueued(requestId, userId, priority, null);
  }

  /**
   * The place of a request that may be queued, asked before its status is known, so a status poll
   * sends it with its status read and waits once ({@link QueueInspector#placeAsRememberedAsync}).
   * The request is assumed to be the caller's; {@link #ofQueued(UUID, UUID, Priority, EarlyPlace)}
   * uses the answer only if it was. Null for a text that is no request id.
   */
  EarlyPlace early(String rawId, UUID callerId) {
    UUID id = RequestIds.parse(rawId).orElse(null);
    if (id == null) {
      return null;
    }
    CompletableFuture<Optional<Placed>> placed;
    try {
      placed = queue.placeAsRememberedAsync(id, callerId);
    } catch (RuntimeException e) {
      placed = CompletableFuture.failedFuture(e);
    }
    return new EarlyPlace(id, callerId, placed);
  }

  /** A place asked for before the request's status was read ({@link #early}). */
  record EarlyPlace(UUID requestId, UUID userId, CompletableFuture<Optional<Placed>> placed) {}

  /**
   * Where a queued request stands; empty if Redis cannot say. With an {@code early} place of the
   * same request and user in the same priority, that is the answer; otherwise (the request is
   * another user's, the queue remembers no priority of it, or another one) it is asked now. An
   * early place that failed is not asked again: Redis could not say, and a second wait would double
   * a poll's time while Redis is away.
   */
  Optional<Forecast> ofQueued(UUID requestId, UUID userId, Priority priority, EarlyPlace early) {
    try {
      if (early != null && early.requestId().equals(requestId) && early.userId().equals(userId)) {
        Optional<Placed> placed = Redis.await(early.placed());
        if (placed.isPresent() && placed.get().priority() == priority) {
          return Optional.of(forecast(placed.get().place()));
        }
      }
      return Optional.of(forecast(queue.place(requestId, userId, priority)));
    } catch (RuntimeException e) {
      log.debug("Queue place of {} not read: {}", requestId, e.toString());
      return Optional.empty();
    }
  }

  /** Where a request the user submitted now would stand; empty if Redis cannot say. */
  Optional<Forecast> ofNew(UUID userId, Priority priority) {
    try {
      return Optional.of(forecast(queue.placeOfNew(userId, priority)));
    } catch (RuntimeException e) {
      log.debug("Queue place of a new job not read: {}", e.toString());
      return Optional.empty();
    }
  }

  /**
   * @param startsInSeconds seconds until a worker should take it; null when jobs are ahead but no
   *     throughput was measured yet
   * @param doneInSeconds that plus the measured mean run time; null when either is unknown
   * @param jobsPerSecond the measured rate at which workers start jobs, null if none started lately
   */
  record Forecast(
      QueuePlace place,
      long jobsBefore,
      Double startsInSeconds,
      Double doneInSeconds,
      Double jobsPerSecond) {}

  private Forecast forecast(QueuePlace place) {
    long before =
        place.waitingInHigherPriorities()
            + place.aheadInPriority()
            + (place.held() ? place.aheadOfUser() : 0);
    Optional<Double> rate = throughput.jobsPerSecond();
    Double startsIn = before == 0 ? Double.valueOf(0) : rate.map(r -> before / r).orElse(null);
    Optional<Duration> run = throughput.meanRunTime();
    Double doneIn =
        startsIn == null || run.isEmpty() ? null : startsIn + run.get().toMillis() / 1000.0;
    return new Forecast(
        place,
        before,
        round(startsIn),
        round(doneIn),
        rate.map(r -> Math.round(r * 1000) / 1000.0).orElse(null));
  }

  private static Double round(Double value) {
    return value == null ? null : Math.round(value * 10) / 10.0;
  }
}
