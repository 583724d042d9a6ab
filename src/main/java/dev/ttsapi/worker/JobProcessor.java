package dev.ttsapi.worker;

import dev.ttsapi.engine.NothingToSpeakException;
import dev.ttsapi.observability.TtsMetrics;
import dev.ttsapi.queue.Delivery;
import dev.ttsapi.queue.QueueConsumer;
import dev.ttsapi.queue.QueueProperties;
import dev.ttsapi.ratelimit.RateLimiter;
import dev.ttsapi.redis.Redis;
import dev.ttsapi.request.Completion;
import dev.ttsapi.request.JobLifecycle;
import dev.ttsapi.request.TtsRequest;
import dev.ttsapi.worker.OnceOnlySynthesis.Made;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Runs one delivered job: start (queued → processing), synthesize and store, complete, and only
 * then acknowledge. A failed attempt goes back to the queue until the attempts are used up, then to
 * the dead-letter stream; a job with nothing to speak fails at once and gives its characters back.
 * A delivery whose request is not queued (a duplicate, a cancelled or a vanished request) is
 * acknowledged and dropped.
 */
@Component
class JobProcessor {

  private static final Logger log = LoggerFactory.getLogger(JobProcessor.class);

  private final JobLifecycle lifecycle;
  private final OnceOnlySynthesis synthesis;
  private final QueueConsumer queue;
  private final QueueProperties queueProperties;
  private final TtsMetrics metrics;
  private final StoreOutage outage;
  private final FailedAttempts failedAttempts;
  private final RateLimiter limiter;

  JobProcessor(
      JobLifecycle lifecycle,
      OnceOnlySynthesis synthesis,
      QueueConsumer queue,
      QueueProperties queueProperties,
      TtsMetrics metrics,
      StoreOutage outage,
      RateLimiter limiter,
      FailedAttempts failedAttempts) {
    this.failedAttempts = failedAttempts;
    this.limiter = limiter;
    this.metrics = metrics;
    this.outage = outage;
    this.lifecycle = lifecycle;
    this.synthesis = synthesis;
    this.queue = queue;
    this.queueProperties = queueProperties;
  }

  /** Every log line of the job carries its request id and attempt (MDC). */
  void process(Delivery delivery, Slot slot) {
    MDC.put("request_id", delivery.job().requestId().toString());
    try {
      processLogged(delivery, slot);
    } finally {
      MDC.remove("request_id");
      MDC.remove("attempt");
    }
  }

  /**
   * The round trips of a job that synthesizes, around the engine: before it one PostgreSQL
   * statement (start and its event, committed without waiting for the WAL flush: see {@code
   * RequestRepository.start}) and, at the same time, one Redis round trip (the single-flight lease,
   * asked for as the job is taken when its entry names the content key, else after the start; the
   * start's status write is sent, not waited for); after it one PostgreSQL statement (completion,
   * event, audio index and usage) and, once that has committed (acks late), one Redis round trip
   * carrying the status write, the lease's release and the acknowledgement together.
   */
  private void processLogged(Delivery delivery, Slot slot) {
    long taken = System.nanoTime();
    // Sent first, answered while PostgreSQL starts the job: one wait for both round trips.
    OnceOnlySynthesis.AskedEarly asked = synthesis.askEarly(delivery.job().contentKey());
    Optional<JobLifecycle.StartedAttempt> started;
    try {
      started = lifecycle.startAttempt(delivery.job().requestId());
    } catch (RuntimeException e) {
      asked.giveUp();
      if (!StoreOutage.isStoreFailure(e)) {
        throw e;
      }
      // PostgreSQL is away: nothing was changed, so put the job back at the end of its queue
      // (a Redis-only step) rather than hold it until the visibility timeout.
      outage.failed(e);
      queue.retry(delivery);
      return;
    }
    outage.recovered();
    if (started.isEmpty()) {
      asked.giveUp();
      log.debug("Job {} is not queued any more; dropping entry", delivery.job().requestId());
      dropEntry(delivery);
      return;
    }
    TtsRequest request = started.get().request();
    MDC.put("attempt", Integer.toString(request.attempt()));
    Made made;
    long start = System.nanoTime();
    // progress writes are sent as the chunks come (this thread), waited for before the next status
    List<CompletableFuture<Long>> progressWritten = new ArrayList<>();
    try {
      // A store failing mid-job is not the job's fault: wait it out (bounded) and go on; the
      // synthesis is not repeated, the stored audio is found again.
      made =
          despiteOutage(
              () -> {
                try {
                  return synthesis.run(
                      request,
                      progress -> progressWritten.add(lifecycle.progress(request.id(), progress)),
                      slot,
                      asked);
                } catch (java.io.IOException io) {
                  throw new java.io.UncheckedIOException(io);
                }
              });
    } catch (NothingToSpeakException e) {
      lifecycle.awaitStatus(request, written(started.get(), progressWritten));
      despiteOutage(
          () -> {
            refuse(delivery, request, e);
            return null;
          });
      return;
    } catch (Exception | AssertionError | LinkageError e) {
      // Errors thrown by an engine's or encoder's own code (an assert, a missing class) fail
      // this job like any exception; only a broken JVM (VirtualMachineError) goes further.
      // Interrupted means this worker is shutting down: clear the flag so the hand-back below
      // can still talk to PostgreSQL and Redis, and set it again after.
      boolean interrupted = Thread.interrupted();
      try {
        lifecycle.awaitStatus(request, written(started.get(), progressWritten));
        despiteOutage(
            () -> {
              fail(delivery, request, asException(e));
              return null;
            });
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      return;
    }
    // The status writes sent so far (start, progress) are not waited for here: the completion's
    // status write is sent only once they are answered (mostly long since), and nothing else on
    // the way to the completion talks to Redis.
    CompletableFuture<Long> statusSoFar = written(started.get(), progressWritten);
    Completion result = made.completion();
    metrics.processed(
        request.voice(),
        request.characters(),
        Duration.ofNanos(System.nanoTime() - start),
        result.durationMs());
    Optional<CompletableFuture<Long>> status;
    try {
      status = despiteOutage(() -> lifecycle.completeAttempt(request, result, statusSoFar));
    } catch (RuntimeException e) {
      // PostgreSQL refused the completion itself, or stayed away too long: this attempt failed
      // with that error (retried or dead-lettered), rather than being left to the reclaimer as if
      // the worker had died. If the store is still away, the reclaimer does take over.
      lifecycle.awaitStatus(request, statusSoFar);
      made.releaseLease();
      despiteOutage(
          () -> {
            fail(delivery, request, e);
            return null;
          });
      return;
    }
    if (status.isEmpty()) {
      lifecycle.awaitStatus(request, statusSoFar);
      log.info(
          "Request {} attempt {} finished after it stopped being current",
          request.id(),
          request.attempt());
      try {
        if (made.lease() != null) {
          // The completion did not index the audio; a job waiting on the lease must find it.
          lifecycle.audioStored(request, result);
        }
      } finally {
        made.releaseLease();
      }
      dropStaleEntry(delivery, request);
      return;
    }
    // PostgreSQL has committed: now the status, the lease and the acknowledgement, one round trip.
    CompletableFuture<Long> released = made.lease() == null ? null : made.lease().releaseAsync();
    CompletableFuture<Long> finished = queue.finishAsync(delivery);
    lifecycle.awaitStatus(request, status.get());
    if (released != null) {
      try {
        Redis.await(released);
      } catch (RuntimeException e) {
        // It runs out by itself within its TTL; a waiting job then finds the audio stored.
        log.warn("Lease of request {} not released: {}", request.id(), e.toString());
      }
    }
    // A failure here leaves the entry pending: the reclaimer finds the request completed and
    // acknowledges it.
    Redis.await(finished);
    if (made.lease() != null) {
      long acked = System.nanoTime();
      metrics.workerOverhead("before_engine", Duration.ofNanos(made.engineStarted() - taken));
      metrics.workerOverhead("after_engine", Duration.ofNanos(acked - made.engineEnded()));
    }
  }

  /** The attempt's start and progress writes, all sent: the next status write must follow them. */
  private static CompletableFuture<Long> written(
      JobLifecycle.StartedAttempt started, List<CompletableFuture<Long>> progress) {
    if (progress.isEmpty()) {
      return started.statusWritten();
    }
    List<CompletableFuture<Long>> all = new ArrayList<>(progress);
    all.add(started.statusWritten());
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenCompose(done -> started.statusWritten());
  }

  /**
   * Drops the entry of an attempt that ended as no longer current: as {@link #dropEntry}, unless
   * the attempt's start was lost with a PostgreSQL restart ({@link FailedAttempts#startLost}), when
   * the entry goes back to its stream and the job runs again (finding its audio stored).
   */
  private void dropStaleEntry(Delivery delivery, TtsRequest attempt) {
    Optional<TtsRequest> row = lifecycle.find(attempt.id());
    if (FailedAttempts.startLost(attempt, row)) {
      log.warn(
          "Request {} attempt {}: its start was lost (PostgreSQL restarted); queued again",
          attempt.id(),
          attempt.attempt());
      queue.retry(delivery);
    } else if (row.isEmpty() || row.get().status().terminal()) {
      queue.finish(delivery);
    } else {
      queue.ack(delivery);
    }
  }

  /**
   * Drops an entry this worker will not run. If the request has ended (or is gone) its place under
   * the per-user cap is freed too; if it still runs elsewhere (a duplicate delivery) the place
   * stays with that run, so the user's jobs never exceed the cap.
   */
  private void dropEntry(Delivery delivery) {
    Optional<TtsRequest> row = lifecycle.find(delivery.job().requestId());
    if (row.isEmpty() || row.get().status().terminal()) {
      queue.finish(delivery);
    } else {
      queue.ack(delivery);
    }
  }

  /**
   * Runs a step of the job, retrying it with growing pauses while PostgreSQL or Redis is
   * unreachable, for up to half the visibility timeout (the claim is renewed meanwhile); after that
   * the failure goes up and the reclaimer takes over. Other failures go up at once.
   */
  private <T> T despiteOutage(java.util.function.Supplier<T> step) {
    long deadline = System.nanoTime() + queueProperties.visibilityTimeout().dividedBy(2).toNanos();
    while (true) {
      try {
        T value = step.get();
        outage.recovered();
        return value;
      } catch (RuntimeException e) {
        if (!StoreOutage.isStoreFailure(e) || System.nanoTime() > deadline) {
          throw e;
        }
        outage.failed(e);
        try {
          outage.pauseIfOngoing();
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static Exception asException(Throwable e) {
    if (e instanceof java.io.UncheckedIOException unchecked) {
      return unchecked.getCause();
    }
    return e instanceof Exception exception
        ? exception
        : new IllegalStateException(e.toString(), e);
  }

  private void fail(Delivery delivery, TtsRequest request, Exception e) {
    failedAttempts.settle(delivery, request, describe(e), e);
  }

  /**
   * Ends a job whose text the voice had no sound for: failed at once, and not charged, because the
   * client got nothing. The conditional UPDATE lets only one run of a duplicate delivery refund.
   */
  private void refuse(Delivery delivery, TtsRequest request, NothingToSpeakException e) {
    if (!lifecycle.refuse(request, e.getMessage())) {
      failedAttempts.dropStale(delivery, request);
      return;
    }
    limiter.refundCharacters(request.userId(), request.characters(), request.createdAt());
    log.info("Request {} failed, not charged: {}", request.id(), e.getMessage());
    queue.finish(delivery);
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
