package dev.ttsapi.backpressure;

import dev.ttsapi.queue.Priority;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * API backpressure: while the queues hold more than {@code tts.observability.max-queue-depth} jobs
 * in all, a submission is refused with a 503 and {@code Retry-After} instead of letting the queue
 * grow without bound; high-priority submissions get a larger allowance ({@code
 * high-priority-max-queue-depth}). The submit handler asks once it knows the priority, so the check
 * belongs to the handler, not to a spelling of its path. Depths come from {@link QueueDepths}
 * (cached), so a check costs no Redis round trip.
 */
@Component
public class QueueLimit {

  private static final Logger log = LoggerFactory.getLogger(QueueLimit.class);

  private final QueueDepths depths;
  private final BackpressureProperties properties;
  private final MeterRegistry registry;
  private volatile boolean over;

  QueueLimit(QueueDepths depths, BackpressureProperties properties, MeterRegistry registry) {
    this.depths = depths;
    this.properties = properties;
    this.registry = registry;
  }

  /**
   * Lets a submission of this priority in, or refuses it.
   *
   * @throws QueueFullException when the queues are over the priority's limit
   */
  public void admit(Priority priority) {
    long total = depths.current().total();
    if (total <= properties.maxQueueDepth()) {
      if (over) {
        over = false;
        log.info("Queue depth {} is back under its limit: submits accepted again", total);
      }
      return;
    }
    long limit =
        priority == Priority.HIGH
            ? properties.highPriorityMaxQueueDepth()
            : properties.maxQueueDepth();
    if (total <= limit) {
      return;
    }
    if (!over) {
      over = true;
      log.warn("Queue depth {} is over its limit: submits are answered 503", total);
    }
    Counter.builder("tts.requests.rejected")
        .description("Submits answered 503 because the queue was over its limit")
        .tag("priority", priority.wireName())
        .register(registry)
        .increment();
    throw new QueueFullException(total, limit, Math.max(1, properties.retryAfter().toSeconds()));
  }

  /** The queues are over their limit: nothing was accepted; try again after {@code retryAfter}. */
  public static final class QueueFullException extends RuntimeException {

    private final long queueLength;
    private final long retryAfterSeconds;

    QueueFullException(long queueLength, long limit, long retryAfterSeconds) {
      super(
          "The queue holds "
              + queueLength
              + " jobs, over its limit of "
              + limit
              + "; try again in "
              + retryAfterSeconds
              + " s");
      this.queueLength = queueLength;
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public long queueLength() {
      return queueLength;
    }

    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }
}
