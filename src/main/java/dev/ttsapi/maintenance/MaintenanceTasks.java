package dev.ttsapi.maintenance;

import dev.ttsapi.config.ConditionalOnRole;
import dev.ttsapi.config.Role;
import dev.ttsapi.queue.Job;
import dev.ttsapi.queue.JobQueue;
import dev.ttsapi.request.JobLifecycle;
import dev.ttsapi.request.TtsRequest;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * The maintenance role: keeps month partitions ready ahead of time, so no request ever fails at
 * a month boundary, and sweeps queued requests whose queue entry was lost (Redis lost data, or a
 * crash between INSERT and XADD) back into the queue. PostgreSQL is the truth; the sweeper
 * reconciles Redis with it. Each task runs on one node at a time.
 */
@Component
@ConditionalOnRole(Role.MAINTENANCE)
class MaintenanceTasks implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(MaintenanceTasks.class);
  private static final int SWEEP_BATCH = 1000;

  private final MaintenanceLock lock;
  private final PartitionRepository partitions;
  private final JobLifecycle lifecycle;
  private final JobQueue queue;
  private final MaintenanceProperties properties;
  private final TaskScheduler scheduler;
  private volatile List<ScheduledFuture<?>> scheduled = List.of();

  MaintenanceTasks(
      MaintenanceLock lock,
      PartitionRepository partitions,
      JobLifecycle lifecycle,
      JobQueue queue,
      MaintenanceProperties properties,
      TaskScheduler scheduler) {
    this.lock = lock;
    this.partitions = partitions;
    this.lifecycle = lifecycle;
    this.queue = queue;
    this.properties = properties;
    this.scheduler = scheduler;
  }

  @Override
  public void start() {
    scheduled =
        List.of(
            scheduler.scheduleWithFixedDelay(this::ensurePartitions, properties.partitionInterval()),
            scheduler.scheduleWithFixedDelay(this::sweep, properties.sweepInterval()));
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

  /** Queues again every stale queued request that has no entry in any priority stream. */
  int sweep() {
    int[] requeued = {0};
    try {
      lock.runExclusively(
          "sweeper",
          () -> {
            List<TtsRequest> stale = lifecycle.staleQueued(properties.sweepAge(), SWEEP_BATCH);
            if (stale.isEmpty()) {
              return;
            }
            Set<UUID> inQueue = queue.queuedRequestIds();
            for (TtsRequest request : stale) {
              if (!inQueue.contains(request.id())) {
                queue.enqueue(new Job(request.id(), request.createdAt(), request.priority()));
                requeued[0]++;
              }
            }
            if (requeued[0] > 0) {
              log.warn("Sweeper queued {} requests that had lost their queue entry", requeued[0]);
            }
          });
    } catch (RuntimeException e) {
      log.warn("Sweep failed, will try again: {}", e.toString());
    }
    return requeued[0];
  }

  @Override
  public void stop() {
    scheduled.forEach(f -> f.cancel(false));
    scheduled = List.of();
  }

  @Override
  public boolean isRunning() {
    return !scheduled.isEmpty();
  }
}
