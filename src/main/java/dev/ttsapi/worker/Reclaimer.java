package dev.ttsapi.worker;

import dev.ttsapi.observability.TtsMetrics;
import dev.ttsapi.queue.Delivery;
import dev.ttsapi.queue.Job;
import dev.ttsapi.queue.QueueConsumer;
import dev.ttsapi.queue.QueueProperties;
import dev.ttsapi.request.JobLifecycle;
import dev.ttsapi.request.RequestStatus;
import dev.ttsapi.request.TtsRequest;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.PeriodicTasks;
import dev.ttsapi.runtime.Role;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Keeps this worker's heartbeat, and takes over queue entries whose worker died: at once when its
 * heartbeat is gone (a kill), else once idle past the visibility timeout (the last resort). It
 * decides, from the request's row, what each needs:
 *
 * <ul>
 *   <li>row missing or already finished: acknowledge and drop;
 *   <li>still queued (the worker died before starting it): queue it again;
 *   <li>processing with attempts left: back to queued, queue it again;
 *   <li>processing after the last attempt: failed, entry to the dead-letter stream.
 * </ul>
 *
 * Live workers renew their entries, so a long job is never taken from a worker that still runs it.
 */
@Component
@ConditionalOnRole(Role.WORKER)
class Reclaimer extends PeriodicTasks {

  private static final Logger log = LoggerFactory.getLogger(Reclaimer.class);
  private static final int BATCH = 100;

  private final QueueConsumer queue;
  private final JobLifecycle lifecycle;
  private final QueueProperties properties;
  private final WorkerProperties worker;
  private final WorkerIdentity identity;
  private final InFlight inFlight;
  private final TtsMetrics metrics;
  private final FailedAttempts failedAttempts;

  Reclaimer(
      QueueConsumer queue,
      JobLifecycle lifecycle,
      QueueProperties properties,
      WorkerProperties worker,
      WorkerIdentity identity,
      InFlight inFlight,
      TaskScheduler scheduler,
      TtsMetrics metrics,
      FailedAttempts failedAttempts) {
    super(scheduler);
    this.failedAttempts = failedAttempts;
    this.metrics = metrics;
    this.queue = queue;
    this.lifecycle = lifecycle;
    this.properties = properties;
    this.worker = worker;
    this.identity = identity;
    this.inFlight = inFlight;
  }

  @Override
  protected List<Task> tasks() {
    return List.of(
        new Task(this::heartbeat, worker.heartbeatInterval()),
        new Task(this::reclaimFromSilentWorkers, worker.heartbeatInterval()),
        new Task(this::renewRunningJobs, properties.visibilityTimeout().dividedBy(3)),
        new Task(this::reclaim, properties.reclaimInterval()));
  }

  /** Says this worker is alive: its jobs are its own while the key lasts. */
  void heartbeat() {
    try {
      queue.heartbeat(identity.consumerName(), worker.heartbeatTtl());
    } catch (RuntimeException e) {
      log.warn("Could not refresh this worker's heartbeat: {}", e.toString());
    }
  }

  /**
   * Takes the jobs of workers whose heartbeat is gone (killed, or their host lost) within seconds,
   * where the visibility timeout would keep them waiting minutes; it stays the last resort, for a
   * worker alive enough to refresh its heartbeat but no longer working.
   */
  void reclaimFromSilentWorkers() {
    List<Delivery> claimed;
    try {
      claimed = queue.claimFromSilent(identity.consumerName(), worker.heartbeatTtl(), BATCH);
    } catch (RuntimeException e) {
      log.warn("Looking for jobs of silent workers failed, will try again: {}", e.toString());
      return;
    }
    if (!claimed.isEmpty()) {
      log.info("Took {} job(s) of workers whose heartbeat is gone", claimed.size());
    }
    settle(claimed);
  }

  /** Resets the idle time of this node's running jobs, well within the visibility timeout. */
  void renewRunningJobs() {
    try {
      queue.renew(identity.consumerName(), inFlight.snapshot());
    } catch (RuntimeException e) {
      log.warn("Could not renew claims on running jobs: {}", e.toString());
    }
  }

  void reclaim() {
    List<Delivery> claimed;
    try {
      claimed = queue.claimIdle(identity.consumerName(), BATCH);
    } catch (RuntimeException e) {
      log.warn("Reclaiming idle jobs failed, will try again: {}", e.toString());
      return;
    }
    settle(claimed);
  }

  private void settle(List<Delivery> claimed) {
    for (Delivery delivery : claimed) {
      metrics.reclaimed();
      try {
        reclaim(delivery);
      } catch (RuntimeException e) {
        // One entry failing must not leave the rest of the batch unhandled (claimed, so idle
        // again only after another visibility timeout, behind the same entry). This one stays
        // pending and is tried again after the visibility timeout.
        log.warn(
            "Reclaiming job {} failed, will try again: {}",
            delivery.job().requestId(),
            e.toString());
      }
    }
  }

  private void reclaim(Delivery delivery) {
    Optional<TtsRequest> row = lifecycle.find(delivery.job().requestId());
    if (row.isEmpty() || row.get().status().terminal()) {
      queue.finish(delivery);
      return;
    }
    TtsRequest request = row.get();
    if (request.status() == RequestStatus.QUEUED) {
      handBackUnstarted(delivery, request);
      return;
    }
    failedAttempts.settle(
        delivery, request, "worker stopped responding during attempt " + request.attempt(), null);
  }

  /**
   * A worker took the job and never started it: it died first, or PostgreSQL refused the start
   * (which counts no attempt). Queued again, up to the maximum number of attempts; then it fails
   * and goes to the dead-letter stream like any poison job, rather than go round forever.
   */
  private void handBackUnstarted(Delivery delivery, TtsRequest request) {
    Job lost = delivery.job().lostAgain();
    if (lost.lostBeforeStart() < properties.maxAttempts()) {
      log.info(
          "Request {} was taken by a worker that never started it ({} of {} times); queued again",
          request.id(),
          lost.lostBeforeStart(),
          properties.maxAttempts());
      queue.retry(new Delivery(lost, delivery.entryId(), delivery.partition()));
      return;
    }
    String error =
        "taken by a worker "
            + lost.lostBeforeStart()
            + " times and never started (its worker died first or the database refused the start)";
    if (lifecycle.giveUp(request, error)) {
      log.warn("Request {}: {}; dead-lettered", request.id(), error);
      queue.deadLetter(delivery, request.attempt(), error);
    } else {
      // changed meanwhile (started elsewhere, cancelled): decided again on the next reclaim
      log.info("Request {} changed while being given up; left for the next reclaim", request.id());
    }
  }
}
