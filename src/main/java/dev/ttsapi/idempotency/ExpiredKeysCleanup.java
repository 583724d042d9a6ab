package dev.ttsapi.idempotency;

import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.PeriodicTasks;
import dev.ttsapi.runtime.Role;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Maintenance: deletes the PostgreSQL records of {@code Idempotency-Key}s older than {@code
 * tts.idempotency.ttl}, in batches so no delete holds many rows at once. A call with an expired key
 * already takes it over, so this only keeps the table small. Deletes are idempotent: two
 * maintenance nodes running it at once do no harm.
 */
@Component
@ConditionalOnRole(Role.MAINTENANCE)
class ExpiredKeysCleanup extends PeriodicTasks {

  private static final Logger log = LoggerFactory.getLogger(ExpiredKeysCleanup.class);
  private static final Duration EVERY = Duration.ofMinutes(10);
  private static final int BATCH = 10_000;

  private final IdempotencyRecords records;
  private final IdempotencyProperties properties;
  private final Clock clock;

  ExpiredKeysCleanup(
      IdempotencyRecords records,
      IdempotencyProperties properties,
      Clock clock,
      TaskScheduler scheduler) {
    super(scheduler);
    this.records = records;
    this.properties = properties;
    this.clock = clock;
  }

  @Override
  protected List<Task> tasks() {
    return List.of(new Task(this::clean, EVERY));
  }

  /** Deletes every expired record; returns how many. */
  long clean() {
    long removed = 0;
    try {
      int batch;
      do {
        batch = records.deleteExpired(clock.instant().minus(properties.ttl()), BATCH);
        removed += batch;
      } while (batch == BATCH);
      if (removed > 0) {
        log.info("Forgot {} expired Idempotency-Keys", removed);
      }
    } catch (RuntimeException e) {
      log.warn("Idempotency-Key cleanup failed, will try again: {}", e.toString());
    }
    return removed;
  }
}
