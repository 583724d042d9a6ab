package dev.ttsapi.batch;

import dev.ttsapi.maintenance.MaintenanceProperties;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.PeriodicTasks;
import dev.ttsapi.runtime.Role;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Maintenance: batches made longer than {@code tts.maintenance.retention} ago are deleted with
 * their items, as their requests' month partitions are dropped by then. Idempotent, so two
 * maintenance nodes at once do no harm.
 */
@Component
@ConditionalOnRole(Role.MAINTENANCE)
class BatchCleanup extends PeriodicTasks {

  private static final Logger log = LoggerFactory.getLogger(BatchCleanup.class);

  private final BatchRepository batches;
  private final MaintenanceProperties properties;
  private final Clock clock;

  BatchCleanup(
      BatchRepository batches,
      MaintenanceProperties properties,
      Clock clock,
      TaskScheduler scheduler) {
    super(scheduler);
    this.batches = batches;
    this.properties = properties;
    this.clock = clock;
  }

  @Override
  protected List<Task> tasks() {
    return List.of(new Task(this::clean, properties.retentionInterval()));
  }

  void clean() {
    try {
      int deleted = batches.deleteCreatedBefore(clock.instant().minus(properties.retention()));
      if (deleted > 0) {
        log.info("Deleted {} batches older than the retention", deleted);
      }
    } catch (RuntimeException e) {
      log.warn("Batch cleanup failed, will try again: {}", e.toString());
    }
  }
}
