package dev.ttsapi.worker;

import dev.ttsapi.queue.Delivery;
import dev.ttsapi.queue.QueueConsumer;
import dev.ttsapi.queue.QueueReader;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stored jobs of one partition of the queue, each run by the {@link JobProcessor}. */
final class StoredJobs implements JobSource<Delivery> {

  private static final Logger log = LoggerFactory.getLogger(StoredJobs.class);

  /**
   * How long a read waits while another partition's loop waits for its slot: short, so the slot
   * goes round every partition (the slots' semaphore is fair) instead of sitting in one empty
   * partition's blocking read for the whole block timeout.
   */
  private static final java.time.Duration SHARED_SLOT_WAIT = java.time.Duration.ofMillis(100);

  private final QueueReader reader;
  private final QueueConsumer queue;
  private final JobProcessor processor;
  private final InFlight inFlight;

  StoredJobs(QueueReader reader, QueueConsumer queue, JobProcessor processor, InFlight inFlight) {
    this.reader = reader;
    this.queue = queue;
    this.processor = processor;
    this.inFlight = inFlight;
  }

  @Override
  public Optional<Delivery> next(boolean slotWanted) {
    Optional<Delivery> next = slotWanted ? reader.next(SHARED_SLOT_WAIT) : reader.next();
    // Counted as in flight from the moment it is ours, so its claim is renewed while it waits.
    next.ifPresent(inFlight::add);
    return next;
  }

  @Override
  public void run(Delivery delivery, Slot slot) {
    try {
      processor.process(delivery, slot);
    } catch (RuntimeException e) {
      // The entry stays unacknowledged: the reclaimer hands it out again later.
      log.error("Job {} left unfinished: {}", delivery.job().requestId(), e.toString(), e);
    } finally {
      inFlight.remove(delivery);
    }
  }

  /** Read in one go with others but never started: straight back to the queue. */
  @Override
  public void handBackUnread() {
    for (Delivery delivery : reader.drainUnread()) {
      try {
        queue.retry(delivery);
      } catch (RuntimeException e) {
        log.warn(
            "Job {} not handed back ({}); the reclaimer will",
            delivery.job().requestId(),
            e.toString());
      }
    }
  }

  @Override
  public void close() {
    reader.close();
  }
}
