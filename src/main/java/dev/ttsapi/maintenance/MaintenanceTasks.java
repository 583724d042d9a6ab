package dev.ttsapi.maintenance;

import dev.ttsapi.config.ConditionalOnRole;
import dev.ttsapi.config.PeriodicTasks;
import dev.ttsapi.config.Role;
import dev.ttsapi.queue.Job;
import dev.ttsapi.queue.JobQueue;
import dev.ttsapi.queue.QueueProperties;
import dev.ttsapi.request.JobLifecycle;
import dev.ttsapi.request.JobLifecycle.EndedAttempt;
import dev.ttsapi.request.RequestStatus;
import dev.ttsapi.request.TtsRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * The maintenance role: keeps month partitions ready ahead of time, so no request ever fails at a
 * month boundary, and sweeps queued requests whose queue entry was lost (Redis lost data, or a
 * crash between INSERT and XADD) back into the queue. PostgreSQL is the truth; the sweeper
 * reconciles Redis with it. Each task runs on one node at a time.
 */
@Component
@ConditionalOnRole(Role.MAINTENANCE)
class MaintenanceTasks extends PeriodicTasks {

  private static final Logger log = LoggerFactory.getLogger(MaintenanceTasks.class);
  private static final int SWEEP_BATCH = 1000;

  private final MaintenanceLock lock;
  private final PartitionRepository partitions;
  private final JobLifecycle lifecycle;
  private final JobQueue queue;
  private final MaintenanceProperties properties;
  private final QueueProperties queueProperties;

  MaintenanceTasks(
      MaintenanceLock lock,
      PartitionRepository partitions,
      JobLifecycle lifecycle,
      JobQueue queue,
      MaintenanceProperties properties,
      QueueProperties queueProperties,
      TaskScheduler scheduler) {
    super(scheduler);
    this.queueProperties = queueProperties;
    this.lock = lock;
    this.partitions = partitions;
    this.lifecycle = lifecycle;
    this.queue = queue;
    this.properties = properties;
  }

  @Override
  protected List<Task> tasks() {
    return List.of(
        new Task(this::ensurePartitions, properties.partitionInterval()),
        new Task(this::sweep, properties.sweepInterval()),
        new Task(this::forgetIdleConsumers, properties.sweepInterval()));
  }

  /** Removes consumers of dead workers from the group (idempotent, so no lock is needed). */
  int forgetIdleConsumers() {
    try {
      int removed = queue.forgetIdleConsumers(properties.forgetConsumersAfter());
      if (removed > 0) {
        log.info("Removed {} idle queue consumers of stopped workers", removed);
      }
      return removed;
    } catch (RuntimeException e) {
      log.warn("Removing idle queue consumers failed, will try again: {}", e.toString());
      return 0;
    }
  }

  void ensurePartitions() {
    try {
      lock.runExclusively(
          "partitions",
          () -> {
            int created = partitions.ensure(properties.partitionMonthsAhead());
            if (created > 0) {
              log.info("Created {} month partitions of requests", created);
            }
          });
    } catch (RuntimeException e) {
      log.warn("Could not check request partitions, will try again: {}", e.toString());
    }
  }

  /**
   * Queues again every stale request that has no entry in any priority stream: queued ones as they
   * are; processing ones (Redis lost the entry and its worker is gone) as a failed attempt, retried
   * while attempts remain. Both go back through the per-user cap, so a user's lost jobs that do not
   * fit wait held back like any others. Then it frees places under the cap whose job has ended
   * without freeing them, and moves held jobs in wherever a user is below the cap.
   *
   * <p>Users with held jobs are left out of the queued requests looked at: they already have the
   * cap's worth in the streams and the rest held, and one user's backlog must not fill the batch
   * and hide another user's lost request. (A lost request of such a user is found once their held
   * jobs have gone in.)
   *
   * <p>The lost attempts of a batch end in one statement with their events, however many there are.
   */
  int sweep() {
    int[] requeued = {0};
    try {
      lock.runExclusively("sweeper", () -> requeued[0] = sweepOnce());
    } catch (RuntimeException e) {
      log.warn("Sweep failed, will try again: {}", e.toString());
    }
    return requeued[0];
  }

  private int sweepOnce() {
    Set<UUID> holders = queue.usersWithHeldJobs();
    List<TtsRequest> queued = lifecycle.staleQueued(properties.sweepAge(), holders, SWEEP_BATCH);
    List<TtsRequest> processing = lifecycle.staleProcessing(processingAge(), SWEEP_BATCH);
    // Places are read before the streams: a job that takes its place later is not judged, and one
    // whose entry is gone from the streams read after has ended or was lost.
    Map<UUID, UUID> places = queue.admittedJobs();
    int requeued = 0;
    int freed = 0;
    List<RuntimeException> failures = new ArrayList<>();
    if (!queued.isEmpty() || !processing.isEmpty() || !places.isEmpty()) {
      Set<UUID> inQueue = new HashSet<>(queue.queuedRequestIds());
      // One request failing (a store error on its row or entry) must not leave the rest
      // unswept: each is tried on its own, and the failures logged once per sweep.
      for (TtsRequest request : queued) {
        if (!inQueue.contains(request.id())) {
          try {
            queue.admit(job(request), request.userId());
            inQueue.add(request.id());
            requeued++;
          } catch (RuntimeException e) {
            failures.add(e);
          }
        }
      }
      List<TtsRequest> lost = processing.stream().filter(r -> !inQueue.contains(r.id())).toList();
      if (!lost.isEmpty()) {
        List<String> errors =
            lost.stream().map(r -> "lost from the queue during attempt " + r.attempt()).toList();
        try {
          for (EndedAttempt ended :
              lifecycle.endFailedAttempts(lost, errors, queueProperties.maxAttempts())) {
            TtsRequest request = ended.request();
            try {
              switch (ended.outcome()) {
                case RETRY -> {
                  queue.admit(job(request), request.userId());
                  inQueue.add(request.id());
                  requeued++;
                }
                case FAILED -> queue.deadLetter(job(request), request.attempt(), request.error());
                case STALE -> {}
              }
            } catch (RuntimeException e) {
              failures.add(e);
            }
          }
        } catch (RuntimeException e) {
          failures.add(e);
        }
      }
      for (UUID id : places.keySet()) {
        if (!inQueue.contains(id)) {
          try {
            if (freeOrRequeue(id)) {
              freed++;
            }
          } catch (RuntimeException e) {
            failures.add(e);
          }
        }
      }
    }
    long promoted = queue.promoteHeld();
    if (requeued > 0) {
      log.warn("Sweeper queued {} requests that had lost their queue entry", requeued);
    }
    if (freed > 0 || promoted > 0) {
      log.warn(
          "Sweeper freed {} places of ended jobs under the per-user cap and moved {} held jobs in",
          freed,
          promoted);
    }
    if (!failures.isEmpty()) {
      log.warn(
          "Sweeper could not queue {} requests again, will try next time: {}",
          failures.size(),
          failures.getFirst().toString());
    }
    return requeued;
  }

  /**
   * A job holds a place but has no entry: if it has ended, free the place (its worker stopped
   * between the two); if it is still queued, Redis lost its entry: add it again. A processing one
   * is left to its worker or, once stale, to the processing sweep. True if a place was freed.
   */
  private boolean freeOrRequeue(UUID id) {
    Optional<TtsRequest> row = lifecycle.find(id);
    if (row.isEmpty() || row.get().status().terminal()) {
      // false when the job ended normally between reading the places and the streams
      return queue.release(id);
    }
    if (row.get().status() == RequestStatus.QUEUED) {
      queue.admit(job(row.get()), row.get().userId());
    }
    return false;
  }

  /**
   * A live worker renews its queue entry, not the row; so a processing row is only suspect once it
   * is older than the visibility timeout, after which the reclaimer would have acted on an entry
   * that still existed.
   */
  private Duration processingAge() {
    Duration visibility = queueProperties.visibilityTimeout().multipliedBy(2);
    return visibility.compareTo(properties.sweepAge()) > 0 ? visibility : properties.sweepAge();
  }

  private static Job job(TtsRequest request) {
    return new Job(request.id(), request.createdAt(), request.priority());
  }
}
