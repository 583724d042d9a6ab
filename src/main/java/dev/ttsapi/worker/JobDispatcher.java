package dev.ttsapi.worker;

import dev.ttsapi.backpressure.HeapGuard;
import dev.ttsapi.observability.TtsMetrics;
import dev.ttsapi.queue.Delivery;
import dev.ttsapi.queue.QueueConsumer;
import dev.ttsapi.queue.QueuePartition;
import dev.ttsapi.queue.QueueReader;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Pulls jobs from the queue, one per free slot (prefetch 1), and runs each on a virtual thread;
 * their CPU-bound synthesis goes to the bounded {@link SynthesisPool}. The loop waits on a virtual
 * thread. When Redis is unreachable it backs off, logging once when the trouble starts and once
 * when it ends. While the heap is too full it takes no job ({@link HeapGuard}).
 */
@Component
@ConditionalOnRole(Role.WORKER)
class JobDispatcher implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(JobDispatcher.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final QueueConsumer queue;
  private final JobProcessor processor;
  private final InFlight inFlight;
  private final WorkerIdentity identity;
  private final HeapGuard heap;
  private final StoreOutage outage;
  private final int slotCount;
  private final Duration shutdownGrace;
  private final Semaphore slots;
  private ExecutorService jobThreads;
  private volatile boolean running;
  private final List<Thread> loops = new ArrayList<>();

  JobDispatcher(
      QueueConsumer queue,
      JobProcessor processor,
      InFlight inFlight,
      WorkerIdentity identity,
      WorkerProperties properties,
      HeapGuard heap,
      StoreOutage outage,
      TtsMetrics metrics) {
    this.outage = outage;
    this.queue = queue;
    this.processor = processor;
    this.inFlight = inFlight;
    this.identity = identity;
    this.slotCount = properties.effectiveSlots();
    this.shutdownGrace = properties.shutdownGrace();
    this.slots = new Semaphore(slotCount);
    this.heap = heap;
    metrics.activeWorkers(this::busySlots, slotCount);
  }

  @Override
  public synchronized void start() {
    // A job mostly waits (for its chunks on the SynthesisPool, for PostgreSQL and Redis), so it
    // runs on a virtual thread; the slots bound how many run at once.
    jobThreads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("job-", 1).factory());
    running = true;
    // One reader per partition of the queue, all drawing on the same slots: a blocking read can
    // only wait on one partition (one hash slot) at a time.
    for (QueuePartition partition : queue.partitions()) {
      loops.add(
          Thread.ofVirtual()
              .name("job-dispatcher-" + partition.index())
              .start(() -> dispatch(partition)));
    }
    log.info("Worker {} started with {} synthesis slots", identity.consumerName(), slotCount);
  }

  private void dispatch(QueuePartition partition) {
    Duration backoff = Duration.ZERO;
    QueueReader reader = null;
    try {
      while (running) {
        // Backpressure: with the heap near full, leave jobs in the queue for other nodes.
        heap.awaitHeadroom();
        // PostgreSQL or Redis failing jobs: wait a little (longer each time) before the next.
        outage.pauseIfOngoing();
        // Waits taken before the slot, so an interrupt there never leaves a slot taken.
        slots.acquire();
        Optional<Delivery> next;
        try {
          if (reader == null) {
            reader = queue.reader(partition, identity.consumerName());
          }
          next = reader.next();
          if (!backoff.isZero()) {
            log.info("Worker {} reads the queue again", identity.consumerName());
            backoff = Duration.ZERO;
          }
        } catch (RuntimeException e) {
          // Nothing thrown here may end the loop: a worker that stops consuming is worse than one
          // that waits for Redis to come back.
          slots.release();
          if (!running) {
            break;
          }
          if (backoff.isZero()) {
            log.warn(
                "Worker {} cannot read the queue, backing off: {}",
                identity.consumerName(),
                e.toString());
          }
          backoff =
              backoff.isZero() ? Duration.ofMillis(100) : min(backoff.multipliedBy(2), MAX_BACKOFF);
          Thread.sleep(backoff);
          continue;
        }
        if (next.isEmpty()) {
          slots.release();
          continue;
        }
        run(next.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (reader != null) {
        // Read in one go with others but never started: straight back to the queue.
        reader.drainUnread().forEach(this::handBack);
        reader.close();
      }
    }
  }

  private void handBack(Delivery delivery) {
    try {
      queue.retry(delivery);
    } catch (RuntimeException e) {
      log.warn(
          "Job {} not handed back ({}); the reclaimer will",
          delivery.job().requestId(),
          e.toString());
    }
  }

  private void run(Delivery delivery) {
    inFlight.add(delivery);
    jobThreads.execute(
        () -> {
          try {
            processor.process(delivery);
          } catch (RuntimeException e) {
            // The entry stays unacknowledged: the reclaimer hands it out again later.
            log.error("Job {} left unfinished: {}", delivery.job().requestId(), e.toString(), e);
          } finally {
            inFlight.remove(delivery);
            slots.release();
          }
        });
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /**
   * Stops taking jobs at once; gives running jobs the shutdown grace period to finish, then
   * interrupts them, which ends their attempt and puts them back in the queue for another worker
   * (never left to wait out the visibility timeout). Jobs read but not started go back too.
   */
  @Override
  public synchronized void stop() {
    running = false;
    loops.forEach(Thread::interrupt);
    for (Thread loop : loops) {
      try {
        loop.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    loops.clear();
    jobThreads.shutdown();
    try {
      if (!jobThreads.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "{} jobs still running after {} s; handing them back to the queue",
            inFlight.size(),
            shutdownGrace.toSeconds());
        jobThreads.shutdownNow();
        if (!jobThreads.awaitTermination(10, TimeUnit.SECONDS)) {
          log.warn("Some jobs did not stop; the reclaimer will hand them out again");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  int busySlots() {
    return slotCount - slots.availablePermits();
  }
}
