package dev.ttsapi.maintenance;

import dev.ttsapi.queue.Job;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.queue.QueueConsumer;
import dev.ttsapi.queue.QueueInspector;
import dev.ttsapi.queue.QueueProducer;
import dev.ttsapi.queue.QueueProperties;
import dev.ttsapi.queue.QueueUpkeep;
import dev.ttsapi.redis.Redis;
import dev.ttsapi.request.JobLifecycle;
import dev.ttsapi.request.RequestStatus;
import dev.ttsapi.request.TtsRequest;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.PeriodicTasks;
import dev.ttsapi.runtime.Role;
import dev.ttsapi.worker.FailedAttempts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
 * month boundary, and sweeps requests whose queue entry was lost (Redis lost data, or a crash
 * between INSERT and XADD) back into the queue. PostgreSQL is the truth; the sweeper reconciles
 * Redis with it. Each task runs on one node at a time.
 */
@Component
@ConditionalOnRole(Role.MAINTENANCE)
class MaintenanceTasks extends PeriodicTasks {

  private static final Logger log = LoggerFactory.getLogger(MaintenanceTasks.class);
  private static final int SWEEP_BATCH = 1000;

  private final MaintenanceLock lock;
  private final PartitionRepository partitions;
  private final JobLifecycle lifecycle;
  private final QueueProducer producer;
  private final QueueConsumer consumer;
  private final QueueInspector inspector;
  private final QueueUpkeep upkeep;
  private final FailedAttempts failedAttempts;
  private final MaintenanceProperties properties;
  private final QueueProperties queueProperties;
  private final Redis redis;

  /** The masters' run ids as last read, by address; a master down keeps its last one. */
  private final Map<String, String> runIds = new HashMap<>();

  /** When a sweep for entries a restarted master lost is due ({@link System#nanoTime}), or 0. */
  private volatile long recoverySweepAt;

  MaintenanceTasks(
      MaintenanceLock lock,
      PartitionRepository partitions,
      JobLifecycle lifecycle,
      QueueProducer producer,
      QueueConsumer consumer,
      QueueInspector inspector,
      QueueUpkeep upkeep,
      FailedAttempts failedAttempts,
      MaintenanceProperties properties,
      QueueProperties queueProperties,
      Redis redis,
      TaskScheduler scheduler) {
    super(scheduler);
    this.redis = redis;
    this.lock = lock;
    this.partitions = partitions;
    this.lifecycle = lifecycle;
    this.producer = producer;
    this.consumer = consumer;
    this.inspector = inspector;
    this.upkeep = upkeep;
    this.failedAttempts = failedAttempts;
    this.properties = properties;
    this.queueProperties = queueProperties;
  }

  @Override
  protected List<Task> tasks() {
    return List.of(
        new Task(this::ensurePartitions, properties.partitionInterval()),
        new Task(this::sweep, properties.sweepInterval()),
        new Task(this::forgetIdleConsumers, properties.sweepInterval()),
        new Task(this::watchForLostRedisWrites, properties.redisCheckInterval()));
  }

  /**
   * A master whose run id changed was restarted or replaced by its replica: what it had not
   * persisted or replicated is gone, queue entries of accepted requests among them. Rather than
   * leave those to the next sweep ({@code sweep-age}, minutes), a sweep with {@code
   * recovery-sweep-age} runs once that long has passed since the change was seen; requests accepted
   * after it are in the new master, or queued again by the node that accepted them.
   */
  void watchForLostRedisWrites() {
    Map<String, String> now;
    try {
      now = redis.masterRunIds();
    } catch (RuntimeException e) {
      log.debug("Run ids of the Redis masters not read: {}", e.toString());
      return;
    }
    if (!runIds.isEmpty()
        && now.entrySet().stream()
            .anyMatch(master -> !master.getValue().equals(runIds.get(master.getKey())))) {
      log.warn(
          "A Redis master was restarted or replaced (run ids {} → {}); queue entries it lost are"
              + " queued again in {}",
          runIds,
          now,
          properties.recoverySweepAge());
      recoverySweepAt = System.nanoTime() + properties.recoverySweepAge().toNanos();
    }
    runIds.putAll(now);
    if (recoverySweepAt != 0 && System.nanoTime() - recoverySweepAt >= 0) {
      recoverySweepAt = 0;
      sweep(properties.recoverySweepAge());
    }
  }

  /** Removes consumers of dead workers from the group (idempotent, so no lock is needed). */
  int forgetIdleConsumers() {
    try {
      int removed = upkeep.forgetIdleConsumers(properties.forgetConsumersAfter());
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
   * Reconciles the queue with PostgreSQL, in four phases (see {@link Sweep}). Returns how many
   * requests went back into the queue.
   */
  int sweep() {
    return sweep(properties.sweepAge());
  }

  private int sweep(Duration age) {
    int[] requeued = {0};
    try {
      lock.runExclusively("sweeper", () -> requeued[0] = new Sweep(age).run());
    } catch (RuntimeException e) {
      log.warn("Sweep failed, will try again: {}", e.toString());
    }
    return requeued[0];
  }

  /**
   * One sweep. What it compares is read first: stale queued and processing rows, then the places
   * under the per-user cap, then the streams. Places are read before the streams, so a job that
   * takes its place later is not judged, and one whose entry is gone from the streams read after
   * has ended or was lost. Then:
   *
   * <ol>
   *   <li>{@link #requeueLostQueued}: queued rows with no entry go back in, under the cap;
   *   <li>{@link #settleLostAttempts}: processing rows with no entry end their attempt as failed
   *       (retried while attempts remain), all in one statement;
   *   <li>{@link #freeGhostPlaces}: places whose job has ended are freed;
   *   <li>the counters are recounted and held jobs moved in wherever a user is under the cap.
   * </ol>
   *
   * One request failing (a store error on its row or entry) never leaves the rest unswept: each is
   * tried on its own, and the failures are logged once per sweep.
   */
  private final class Sweep {
    private final List<RuntimeException> failures = new ArrayList<>();
    private final Duration age;
    private Set<UUID> inQueue;

    Sweep(Duration age) {
      this.age = age;
    }

    int run() {
      // Users with held jobs are left out of the queued rows: they already have the cap's worth in
      // the streams and the rest held, and one user's backlog must not fill the batch and hide
      // another user's lost request (theirs is found once their held jobs have gone in).
      Set<UUID> holders = inspector.usersWithHeldJobs();
      List<TtsRequest> queued = lifecycle.staleQueued(age, holders, SWEEP_BATCH);
      List<TtsRequest> processing = lifecycle.staleProcessing(processingAge(), SWEEP_BATCH);
      Map<UUID, UUID> places = inspector.admittedJobs();
      int requeued = 0;
      int freed = 0;
      if (!queued.isEmpty() || !processing.isEmpty() || !places.isEmpty()) {
        inQueue = new HashSet<>(inspector.queuedRequestIds());
        requeued += requeueLostQueued(queued);
        requeued += settleLostAttempts(processing);
        freed = freeGhostPlaces(places);
      }
      long promoted = upkeep.promoteHeld();
      report(requeued, freed, promoted);
      return requeued;
    }

    private int requeueLostQueued(List<TtsRequest> queued) {
      int requeued = 0;
      for (TtsRequest request : queued) {
        if (!inQueue.contains(request.id())) {
          try {
            producer.admit(request.job());
            inQueue.add(request.id());
            requeued++;
          } catch (RuntimeException e) {
            failures.add(e);
          }
        }
      }
      return requeued;
    }

    private int settleLostAttempts(List<TtsRequest> processing) {
      List<TtsRequest> lost = processing.stream().filter(r -> !inQueue.contains(r.id())).toList();
      if (lost.isEmpty()) {
        return 0;
      }
      List<String> errors =
          lost.stream().map(r -> "lost from the queue during attempt " + r.attempt()).toList();
      try {
        FailedAttempts.Settled settled = failedAttempts.settleWithoutEntries(lost, errors);
        inQueue.addAll(settled.requeued());
        failures.addAll(settled.failures());
        return settled.requeued().size();
      } catch (RuntimeException e) {
        failures.add(e);
        return 0;
      }
    }

    /**
     * A job holds a place but has no entry: if it has ended, its place is freed (its worker stopped
     * between the two); if it is still queued, Redis lost its entry and it goes in again. A
     * processing one is left to its worker or, once stale, to the processing phase.
     */
    private int freeGhostPlaces(Map<UUID, UUID> places) {
      int freed = 0;
      for (Map.Entry<UUID, UUID> place : places.entrySet()) {
        UUID id = place.getKey();
        if (inQueue.contains(id)) {
          continue;
        }
        try {
          Optional<TtsRequest> row = lifecycle.find(id);
          if (row.isEmpty()) {
            // the job ended and its row is gone (retention): its place can only be freed by id
            if (consumer.release(new Job(id, Instant.EPOCH, Priority.NORMAL, place.getValue()))) {
              freed++;
            }
          } else if (row.get().status().terminal()) {
            // false when the job ended normally between reading the places and the streams
            if (consumer.release(row.get().job())) {
              freed++;
            }
          } else if (row.get().status() == RequestStatus.QUEUED) {
            producer.admit(row.get().job());
          }
        } catch (RuntimeException e) {
          failures.add(e);
        }
      }
      return freed;
    }

    private void report(int requeued, int freed, long promoted) {
      if (requeued > 0) {
        log.warn("Sweeper queued {} requests that had lost their queue entry", requeued);
      }
      if (freed > 0 || promoted > 0) {
        log.warn(
            "Sweeper freed {} places of ended jobs under the per-user cap and moved {} held jobs"
                + " in",
            freed,
            promoted);
      }
      if (!failures.isEmpty()) {
        log.warn(
            "Sweeper could not queue {} requests again, will try next time: {}",
            failures.size(),
            failures.getFirst().toString());
      }
    }
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
}
