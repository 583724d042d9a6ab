package dev.ttsapi.maintenance;

import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.audio.AudioStoreUnavailableException;
import dev.ttsapi.maintenance.PartitionRepository.MonthPartition;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.PeriodicTasks;
import dev.ttsapi.runtime.Role;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * The seed's {@code cleanup_old_files}: month partitions of requests that ended more than {@code
 * tts.maintenance.retention} ago are dropped, and with them the audio that only their requests used
 * (a newer request with the same content key keeps it). Request events older than the retention are
 * deleted in batches. One node at a time, under the maintenance lock, and only while the audio
 * store answers.
 */
@Component
@ConditionalOnRole(Role.MAINTENANCE)
class RetentionTask extends PeriodicTasks {

  private static final Logger log = LoggerFactory.getLogger(RetentionTask.class);
  private static final int EVENT_BATCH = 10_000;

  /** What one run removed. */
  record Removed(List<String> partitions, int audioObjects, long events) {}

  private final MaintenanceLock lock;
  private final PartitionRepository partitions;
  private final AudioStore audio;
  private final MaintenanceProperties properties;
  private final Clock clock;

  RetentionTask(
      MaintenanceLock lock,
      PartitionRepository partitions,
      AudioStore audio,
      MaintenanceProperties properties,
      Clock clock,
      TaskScheduler scheduler) {
    super(scheduler);
    this.lock = lock;
    this.partitions = partitions;
    this.audio = audio;
    this.properties = properties;
    this.clock = clock;
  }

  @Override
  protected List<Task> tasks() {
    return List.of(new Task(this::runQuietly, properties.retentionInterval()));
  }

  private void runQuietly() {
    try {
      run();
    } catch (RuntimeException e) {
      log.warn("Retention cleanup failed, will try again: {}", e.toString());
    }
  }

  Removed run() {
    Instant cutoff = clock.instant().minus(properties.retention());
    // The keys of the audio to delete are known only until their partition is dropped: with the
    // audio store away, a drop now would leave its objects in the store for good. Wait for it.
    try {
      audio.checkReachable();
    } catch (AudioStoreUnavailableException e) {
      log.warn("Retention waits for the audio store: {}", e.getMessage());
      return new Removed(List.of(), 0, 0);
    }
    List<String> dropped = new ArrayList<>();
    List<String> orphanedAudio = new ArrayList<>();
    boolean ran =
        lock.runExclusively(
            "retention",
            () -> {
              for (MonthPartition partition : partitions.endedBefore(cutoff)) {
                List<String> keys = partitions.audioOnlyIn(partition);
                partitions.forgetAudio(keys);
                partitions.drop(partition);
                dropped.add(partition.name());
                orphanedAudio.addAll(keys);
              }
            });
    if (!ran) {
      return new Removed(List.of(), 0, 0);
    }
    // Audio goes only after the drop has committed: a failure before leaves everything in place.
    int deleted = 0;
    for (String key : orphanedAudio) {
      try {
        if (audio.delete(key)) {
          deleted++;
        }
      } catch (RuntimeException e) {
        log.warn("Audio {} of a dropped partition not deleted: {}", key, e.toString());
      }
    }
    // Events in small transactions, so the table is never locked for long.
    long events = 0;
    int batch;
    do {
      batch = partitions.deleteEventsBefore(cutoff, EVENT_BATCH);
      events += batch;
    } while (batch == EVENT_BATCH);
    if (!dropped.isEmpty() || events > 0) {
      log.info(
          "Retention: dropped partitions {} with {} audio objects, deleted {} request events older"
              + " than {}",
          dropped,
          deleted,
          events,
          cutoff);
    }
    return new Removed(dropped, deleted, events);
  }
}
