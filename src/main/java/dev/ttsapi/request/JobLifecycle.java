package dev.ttsapi.request;

import dev.ttsapi.engine.SynthesisUsage;
import dev.ttsapi.observability.TtsMetrics;
import dev.ttsapi.redis.Redis;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The worker side of a request's life: start an attempt, report progress, complete, retry or fail.
 * Each change goes to PostgreSQL first as a conditional UPDATE, then to the Redis status hash; a
 * Redis failure there is logged and never undoes the change.
 */
@Component
public class JobLifecycle {

  private static final Logger log = LoggerFactory.getLogger(JobLifecycle.class);

  /** What became of a failed attempt. */
  public enum AttemptOutcome {
    /** Back in the queue for another attempt. */
    RETRY,
    /** That was the last attempt: the request failed. */
    FAILED,
    /** Someone else changed the request first (a duplicate delivery); nothing was done. */
    STALE
  }

  /** A request whose attempt was ended, as it is now, and what became of it. */
  public record EndedAttempt(TtsRequest request, AttemptOutcome outcome) {}

  /** A completion on its way to the group writer, stamped when its caller handed it over. */
  private record Finishing(TtsRequest request, Completion completion, Instant now) {}

  private final RequestRepository repository;
  private final AudioCacheHits cacheHits;
  private final StatusStore statusStore;
  private final Clock clock;
  private final TtsMetrics metrics;
  private final TransactionTemplate transactions;
  private final GroupCommit<Finishing, Optional<TtsRequest>> completions;

  JobLifecycle(
      RequestRepository repository,
      AudioCacheHits cacheHits,
      StatusStore statusStore,
      Clock clock,
      TtsMetrics metrics,
      TransactionTemplate transactions,
      RequestProperties properties,
      MeterRegistry registry) {
    this.metrics = metrics;
    this.repository = repository;
    this.cacheHits = cacheHits;
    this.statusStore = statusStore;
    this.clock = clock;
    this.transactions = transactions;
    this.completions =
        new GroupCommit<>(
            "completion-group-commit",
            "tts.worker.completions.group",
            "Completions",
            properties.completionGroupRows(),
            properties.completionGroupWait(),
            properties.groupCommitPending(),
            this::writeCompletions,
            registry);
  }

  /** Commits the completions still waiting, then lets later ones commit one at a time. */
  @PreDestroy
  void stopGroups() {
    completions.close();
  }

  public Optional<TtsRequest> find(UUID id) {
    return repository.find(id);
  }

  /**
   * The audio of {@code contentKey} if another request has already had it made: a job for it can
   * complete without synthesis, and costs nothing.
   */
  public Optional<Completion> alreadySynthesized(TtsRequest request) {
    return cacheHits
        .take(request.contentKey())
        .map(
            c ->
                new Completion(
                    c.bytes(),
                    c.durationMs(),
                    null,
                    SynthesisUsage.NONE,
                    0,
                    SsmlMarks.merge(request.ssml(), c.ssmlMarks())));
  }

  /** Makes freshly stored audio findable by its content key before the request completes. */
  public void audioStored(TtsRequest request, Completion completion) {
    repository.indexAudio(request, completion, clock.instant());
  }

  /** queued → processing; empty when the request is not queued (cancelled, done, or taken). */
  public Optional<TtsRequest> start(UUID id) {
    Optional<StartedAttempt> started = startAttempt(id);
    started.ifPresent(s -> awaitStatus(s.request(), s.statusWritten()));
    return started.map(StartedAttempt::request);
  }

  /**
   * A started attempt, and its status write to Redis: sent, not waited for, so a worker's next
   * Redis command (the single-flight lease) travels in the same round trip. Wait for it ({@link
   * #awaitStatus}) before the attempt's next status write, which must not overtake it.
   */
  public record StartedAttempt(TtsRequest request, CompletableFuture<Long> statusWritten) {}

  /** {@link #start} without waiting for Redis: the status write comes back pending. */
  public Optional<StartedAttempt> startAttempt(UUID id) {
    return repository
        .start(id, clock.instant())
        .map(started -> new StartedAttempt(started, publishAsync(started)));
  }

  /** Waits for a status write sent earlier; a Redis failure is logged, the change stays. */
  public void awaitStatus(TtsRequest request, CompletableFuture<Long> statusWritten) {
    try {
      Redis.await(statusWritten);
    } catch (RuntimeException e) {
      log.warn("Status of {} not written to Redis: {}", request.id(), e.toString());
    }
  }

  /**
   * Sends the progress of a running attempt without waiting for Redis: the worker goes on at once
   * (a job of one chunk used to wait a round trip here between its synthesis and storing its
   * audio). Wait for it ({@link #awaitStatus}) before the attempt's next status write, which must
   * not be overtaken by it. A Redis failure is logged when it comes; the future then completes
   * normally.
   */
  public CompletableFuture<Long> progress(UUID id, double progress) {
    CompletableFuture<Long> sent;
    try {
      sent = statusStore.progressAsync(id, progress);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.exceptionally(
        e -> {
          log.debug("Progress of {} not written to Redis: {}", id, e.toString());
          return 0L;
        });
  }

  /** processing → completed for this attempt; false if the attempt was no longer current. */
  public boolean complete(TtsRequest request, Completion completion) {
    Optional<CompletableFuture<Long>> status =
        completeAttempt(request, completion, CompletableFuture.completedFuture(0L));
    status.ifPresent(written -> awaitStatus(request, written));
    return status.isPresent();
  }

  /**
   * {@link #complete} without waiting for Redis: PostgreSQL has committed the completion (usage,
   * event and audio index in the same statement) when this returns, and the status write is sent,
   * or will be once {@code statusSoFar} (the attempt's earlier status writes, which it must not
   * overtake) is answered; a worker sends its acknowledgement alongside and waits for both ({@link
   * #awaitStatus}). Empty if the attempt was no longer current.
   */
  public Optional<CompletableFuture<Long>> completeAttempt(
      TtsRequest request, Completion completion, CompletableFuture<Long> statusSoFar) {
    return completions
        .submit(new Finishing(request, completion, clock.instant()))
        .map(
            completed -> {
              metrics.finished(RequestStatus.COMPLETED.wireName(), request.voice());
              if (statusSoFar.isDone() && !statusSoFar.isCompletedExceptionally()) {
                return publishAsync(completed);
              }
              return statusSoFar
                  .handle(
                      (written, failure) -> {
                        if (failure != null) {
                          log.warn(
                              "Status of {} not written to Redis: {}",
                              request.id(),
                              failure.toString());
                        }
                        return 0L;
                      })
                  .thenCompose(earlier -> publishAsync(completed));
            });
  }

  /**
   * Writes a group of completions: one alone as its own statement (autocommit), several as one
   * transaction of their statements, so that jobs finishing together on this node wait for one WAL
   * flush instead of one each. Each statement is the same conditional UPDATE as alone, so a stale
   * attempt in the group changes nothing and the others complete. If the transaction fails (a
   * statement's error aborts it, or PostgreSQL went away), nothing of it was committed and each
   * completion is written again alone, so one job's error is not another's.
   */
  private void writeCompletions(List<GroupCommit.Pending<Finishing, Optional<TtsRequest>>> group) {
    if (group.size() > 1) {
      List<Optional<TtsRequest>> written;
      try {
        written =
            transactions.execute(
                tx -> group.stream().map(pending -> complete(pending.item())).toList());
      } catch (RuntimeException e) {
        log.debug("A group of {} completions failed; each alone: {}", group.size(), e.toString());
        written = null;
      }
      if (written != null) {
        for (int i = 0; i < group.size(); i++) {
          group.get(i).answer().complete(written.get(i));
        }
        return;
      }
    }
    for (GroupCommit.Pending<Finishing, Optional<TtsRequest>> pending : group) {
      try {
        pending.answer().complete(complete(pending.item()));
      } catch (RuntimeException e) {
        pending.answer().completeExceptionally(e);
      }
    }
  }

  private Optional<TtsRequest> complete(Finishing finishing) {
    return repository.complete(finishing.request(), finishing.completion(), finishing.now());
  }

  /** Ends a failed attempt: back to the queue while attempts remain, failed after the last one. */
  public AttemptOutcome endFailedAttempt(TtsRequest request, String error, int maxAttempts) {
    Transition transition = request.attempt() >= maxAttempts ? Transition.FAIL : Transition.RETRY;
    Optional<TtsRequest> ended = repository.endAttempt(request, transition, error, clock.instant());
    if (ended.isEmpty()) {
      return AttemptOutcome.STALE;
    }
    publish(ended.get());
    return counted(ended.get());
  }

  /**
   * Fails the request at once, at whatever attempt: its text has nothing the voice can say, so
   * another attempt would make the same silence. Not dead-lettered: nothing went wrong with the
   * service. False if the attempt was no longer current (nothing was changed).
   */
  public boolean refuse(TtsRequest request, String error) {
    Optional<TtsRequest> failed =
        repository.endAttempt(request, Transition.FAIL, error, clock.instant());
    failed.ifPresent(
        refused -> {
          metrics.finished(RequestStatus.FAILED.wireName(), request.voice());
          publish(refused);
        });
    return failed.isPresent();
  }

  /**
   * Fails a queued request that no worker could start (see {@code Job.lostBeforeStart}); false if
   * it was no longer queued at that attempt.
   */
  public boolean giveUp(TtsRequest request, String error) {
    Optional<TtsRequest> failed =
        repository.endAttempt(request, Transition.GIVE_UP, error, clock.instant());
    failed.ifPresent(
        given -> {
          publish(given);
          counted(given);
        });
    return failed.isPresent();
  }

  /**
   * Ends the current attempt of each of {@code requests} at once, as {@link #endFailedAttempt} does
   * one by one: one database statement and one pipelined Redis round trip for them all. Requests
   * changed meanwhile by someone else are left out of the answer.
   *
   * @param errors the error of each request's attempt, in the order of {@code requests}
   */
  public List<EndedAttempt> endFailedAttempts(
      List<TtsRequest> requests, List<String> errors, int maxAttempts) {
    List<TtsRequest> ended = repository.endAttempts(requests, errors, maxAttempts, clock.instant());
    List<EndedAttempt> outcomes = new ArrayList<>();
    List<CompletableFuture<Long>> pending = new ArrayList<>();
    for (TtsRequest request : ended) {
      outcomes.add(new EndedAttempt(request, counted(request)));
      pending.add(statusStore.writeAsync(StatusSnapshot.of(request)));
    }
    try {
      pending.forEach(Redis::await);
    } catch (RuntimeException e) {
      log.warn("Status of {} requests not written to Redis: {}", ended.size(), e.toString());
    }
    return outcomes;
  }

  private AttemptOutcome counted(TtsRequest ended) {
    if (ended.status() == RequestStatus.FAILED) {
      // every caller sends a finally failed job to the dead-letter stream
      metrics.finished(RequestStatus.FAILED.wireName(), ended.voice());
      metrics.deadLettered();
      return AttemptOutcome.FAILED;
    }
    return AttemptOutcome.RETRY;
  }

  /**
   * Queued requests untouched for {@code age} (their queue entry may be lost), leaving out those of
   * {@code exceptUsers} (users whose jobs are held back by the per-user cap: their queued requests
   * are accounted for, and one user's backlog must not fill the sweeper's batch).
   */
  public List<TtsRequest> staleQueued(Duration age, Collection<UUID> exceptUsers, int limit) {
    return repository.stale(RequestStatus.QUEUED, clock.instant().minus(age), exceptUsers, limit);
  }

  /**
   * Requests processing since longer than {@code age}: if their queue entry is gone too, their
   * worker and Redis both lost them.
   */
  public List<TtsRequest> staleProcessing(Duration age, int limit) {
    return repository.stale(RequestStatus.PROCESSING, clock.instant().minus(age), List.of(), limit);
  }

  /** Sends the request's status; a Redis that refuses at once gives a failed future too. */
  private CompletableFuture<Long> publishAsync(TtsRequest request) {
    try {
      return statusStore.writeAsync(StatusSnapshot.of(request));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void publish(TtsRequest request) {
    try {
      statusStore.write(StatusSnapshot.of(request));
    } catch (RuntimeException e) {
      log.warn("Status of {} not written to Redis: {}", request.id(), e.toString());
    }
  }
}
