package dev.ttsapi.maintenance;

import dev.ttsapi.config.Await;
import dev.ttsapi.config.ConditionalOnRole;
import dev.ttsapi.config.PeriodicTasks;
import dev.ttsapi.config.Role;
import dev.ttsapi.queue.Job;
import dev.ttsapi.queue.JobQueue;
import dev.ttsapi.queue.QueueProperties;
import dev.ttsapi.request.JobLifecycle;
import dev.ttsapi.request.JobLifecycle.EndedAttempt;
import dev.ttsapi.request.TtsRequest;
import io.lettuce.core.RedisFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        new Task(this::sweep, properties.sweepInterval()));
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
   * while attempts remain. A batch costs one statement for all the failed attempts and their
   * events, and one pipelined Redis round trip for all the entries, however many there are.
   */
  int sweep() {
    int[] requeued = {0};
    try {
      lock.runExclusively(
          "sweeper",
          () -> {
            List<TtsRequest> queued = lifecycle.staleQueued(properties.sweepAge(), SWEEP_BATCH);
            List<TtsRequest> processing = lifecycle.staleProcessing(processingAge(), SWEEP_BATCH);
            if (queued.isEmpty() && processing.isEmpty()) {
              return;
            }
            Set<UUID> inQueue = queue.queuedRequestIds();
            List<Job> again = new ArrayList<>();
            queued.stream()
                .filter(r -> !inQueue.contains(r.id()))
                .map(MaintenanceTasks::job)
                .forEach(again::add);
            List<TtsRequest> lost =
                processing.stream().filter(r -> !inQueue.contains(r.id())).toList();
            List<String> errors =
                lost.stream()
                    .map(r -> "lost from the queue during attempt " + r.attempt())
                    .toList();
            for (EndedAttempt ended :
                lifecycle.endFailedAttempts(lost, errors, queueProperties.maxAttempts())) {
              TtsRequest request = ended.request();
              switch (ended.outcome()) {
                case RETRY -> again.add(job(request));
                case FAILED -> queue.deadLetter(job(request), request.attempt(), request.error());
                case STALE -> {}
              }
            }
            List<RedisFuture<String>> sent = again.stream().map(queue::enqueueAsync).toList();
            sent.forEach(Await::result);
            requeued[0] = sent.size();
            if (requeued[0] > 0) {
              log.warn("Sweeper queued {} requests that had lost their queue entry", requeued[0]);
            }
          });
    } catch (RuntimeException e) {
      log.warn("Sweep failed, will try again: {}", e.toString());
    }
    return requeued[0];
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
