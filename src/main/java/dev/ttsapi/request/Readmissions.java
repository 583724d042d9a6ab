package dev.ttsapi.request;

import dev.ttsapi.queue.Job;
import dev.ttsapi.queue.QueueProducer;
import dev.ttsapi.runtime.PeriodicTasks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Requests accepted into PostgreSQL whose queue entry could not be written (Redis down, or a master
 * failing over) are offered to the queue again from here, every second, as soon as Redis takes
 * them, instead of waiting for the sweeper, which looks only at requests untouched for {@code
 * tts.maintenance.sweep-age} (minutes). The list lives in this node's memory only: if the node
 * stops first, the sweeper still finds them, so nothing depends on it surviving.
 */
@Component
class Readmissions extends PeriodicTasks {

  private static final Logger log = LoggerFactory.getLogger(Readmissions.class);

  /** Beyond this many, the sweeper alone is left to queue them (memory stays bounded). */
  private static final int MAX_PENDING = 100_000;

  private final QueueProducer queue;
  private final Map<UUID, Job> pending = new ConcurrentHashMap<>();

  Readmissions(QueueProducer queue, TaskScheduler scheduler) {
    super(scheduler);
    this.queue = queue;
  }

  @Override
  protected List<Task> tasks() {
    return List.of(new Task(this::retry, Duration.ofSeconds(1)));
  }

  /** Queues the job later, as soon as Redis takes it. */
  void later(Job job) {
    if (pending.size() < MAX_PENDING) {
      pending.putIfAbsent(job.requestId(), job);
    }
  }

  /**
   * Offers every pending job once, oldest first as far as the map allows; stops at the first
   * failure, as Redis is then still away and the rest would fail the same way. A job offered twice
   * (its first answer was lost, not its command) is harmless: a worker starts a request only while
   * its row is queued.
   */
  void retry() {
    int queued = 0;
    for (Job job : pending.values()) {
      try {
        queue.admit(job);
        pending.remove(job.requestId());
        queued++;
      } catch (RuntimeException e) {
        log.debug("Redis does not take queued requests yet: {}", e.toString());
        break;
      }
    }
    if (queued > 0) {
      log.info("Queued {} accepted requests that Redis had refused before", queued);
    }
  }
}
