package dev.ttsapi.worker;

import dev.ttsapi.queue.Delivery;
import dev.ttsapi.queue.QueueConsumer;
import dev.ttsapi.queue.QueueProducer;
import dev.ttsapi.queue.QueueProperties;
import dev.ttsapi.request.JobLifecycle;
import dev.ttsapi.request.JobLifecycle.AttemptOutcome;
import dev.ttsapi.request.JobLifecycle.EndedAttempt;
import dev.ttsapi.request.RequestStatus;
import dev.ttsapi.request.TtsRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one place that settles a failed attempt, whoever noticed it (the job's worker, the reclaimer
 * of a dead worker's job, the sweeper of a job whose entry Redis lost): the row's attempt is ended
 * in PostgreSQL first, then the queue follows what PostgreSQL decided.
 *
 * <ul>
 *   <li>attempts left: back in the queue, at the end of its stream;
 *   <li>that was the last: {@code failed}, copied to the dead-letter stream, its place freed;
 *   <li>someone else changed the request first (a duplicate delivery): only the entry goes.
 * </ul>
 */
@Component
public class FailedAttempts {

  private static final Logger log = LoggerFactory.getLogger(FailedAttempts.class);

  private final JobLifecycle lifecycle;
  private final QueueConsumer queue;
  private final QueueProducer producer;
  private final int maxAttempts;

  FailedAttempts(
      JobLifecycle lifecycle,
      QueueConsumer queue,
      QueueProducer producer,
      QueueProperties properties) {
    this.lifecycle = lifecycle;
    this.queue = queue;
    this.producer = producer;
    this.maxAttempts = properties.maxAttempts();
  }

  /**
   * Settles the failed attempt of a delivered job.
   *
   * @param cause logged with the last attempt's failure, for its stack trace; may be null
   */
  public AttemptOutcome settle(
      Delivery delivery, TtsRequest request, String error, Throwable cause) {
    AttemptOutcome outcome = lifecycle.endFailedAttempt(request, error, maxAttempts);
    switch (outcome) {
      case RETRY -> {
        log.warn(
            "Request {} attempt {} failed, queued again: {}",
            request.id(),
            request.attempt(),
            error);
        queue.retry(delivery);
      }
      case FAILED -> {
        log.warn(
            "Request {} failed after {} attempts, dead-lettered: {}",
            request.id(),
            request.attempt(),
            error,
            cause);
        queue.deadLetter(delivery, request.attempt(), error);
      }
      case STALE -> dropStale(delivery, request);
    }
    return outcome;
  }

  /**
   * Drops the entry of an attempt that was no longer current when its worker tried to end it:
   * someone else changed the request (a duplicate delivery, the reclaimer), and the entry goes. One
   * exception: the row is queued at an earlier attempt than this one, because PostgreSQL crashed
   * after the attempt's start, whose commit does not wait for the disk (see {@code
   * RequestRepository.start}), and came back without it. Then nobody else holds the job and its
   * entry is put back at the end of its stream, so it runs again rather than wait for the sweeper.
   */
  void dropStale(Delivery delivery, TtsRequest attempt) {
    if (startLost(attempt, lifecycle.find(attempt.id()))) {
      log.warn(
          "Request {} attempt {}: its start was lost (PostgreSQL restarted); queued again",
          attempt.id(),
          attempt.attempt());
      queue.retry(delivery);
      return;
    }
    queue.ack(delivery);
  }

  /** Whether {@code row} is {@code attempt}'s request back before the attempt started. */
  static boolean startLost(TtsRequest attempt, Optional<TtsRequest> row) {
    return row.isPresent()
        && row.get().status() == RequestStatus.QUEUED
        && row.get().attempt() < attempt.attempt();
  }

  /** What {@link #settleWithoutEntries} did: the requests queued again, and what failed. */
  public record Settled(List<UUID> requeued, List<RuntimeException> failures) {}

  /**
   * Settles attempts whose queue entries are gone (Redis lost them while their workers died), all
   * in one statement: retried ones are offered to the queue again under their user's cap. One
   * request failing in Redis does not stop the others.
   */
  public Settled settleWithoutEntries(List<TtsRequest> requests, List<String> errors) {
    List<UUID> requeued = new ArrayList<>();
    List<RuntimeException> failures = new ArrayList<>();
    for (EndedAttempt ended : lifecycle.endFailedAttempts(requests, errors, maxAttempts)) {
      TtsRequest request = ended.request();
      try {
        switch (ended.outcome()) {
          case RETRY -> {
            producer.admit(request.job());
            requeued.add(request.id());
          }
          case FAILED -> queue.deadLetter(request.job(), request.attempt(), request.error());
          case STALE -> {}
        }
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    return new Settled(requeued, failures);
  }
}
