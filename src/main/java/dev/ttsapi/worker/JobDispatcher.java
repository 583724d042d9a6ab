package dev.ttsapi.worker;

import dev.ttsapi.backpressure.HeapGuard;
import dev.ttsapi.engine.VoiceCatalog;
import dev.ttsapi.observability.TtsMetrics;
import dev.ttsapi.queue.LiveQueue;
import dev.ttsapi.queue.QueueConsumer;
import dev.ttsapi.queue.QueuePartition;
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
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The worker's one dispatch loop, run once per source of jobs: each partition of the stored jobs'
 * queue ({@link StoredJobs}, all drawing on the synthesis slots, {@code tts.worker.slots}) and the
 * live jobs ({@link LiveJobs}, on slots of their own, {@code tts.openai-api.worker-slots}). A loop
 * takes a slot, then reads one job (prefetch 1) and runs it on a virtual thread; their CPU-bound
 * synthesis goes to the bounded {@link SynthesisPool}. When Redis is unreachable a loop backs off,
 * logging once when the trouble starts and once when it ends. While the heap is too full, or
 * PostgreSQL or Redis keep failing jobs, the stored jobs' loops take none ({@link HeapGuard},
 * {@link StoreOutage}).
 */
@Component
@ConditionalOnRole(Role.WORKER)
class JobDispatcher implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(JobDispatcher.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  private static final Duration LIVE_BLOCK = Duration.ofMillis(500);

  private final QueueConsumer queue;
  private final LiveQueue liveQueue;
  private final JobProcessor processor;
  private final ChunkedSynthesis synthesis;
  private final VoiceCatalog voices;
  private final InFlight inFlight;
  private final WorkerIdentity identity;
  private final HeapGuard heap;
  private final StoreOutage outage;
  private final int slotCount;
  private final Duration shutdownGrace;
  private final Semaphore slots;
  private final Semaphore liveSlots;
  private ExecutorService jobThreads;
  private volatile boolean running;
  private final List<Thread> loops = new ArrayList<>();

  /** One loop's source, the slots it runs on, and whether backpressure pauses it. */
  private record Lane<J>(
      String name, Supplier<JobSource<J>> open, Semaphore slots, boolean pausable) {}

  JobDispatcher(
      QueueConsumer queue,
      LiveQueue liveQueue,
      JobProcessor processor,
      ChunkedSynthesis synthesis,
      VoiceCatalog voices,
      InFlight inFlight,
      WorkerIdentity identity,
      WorkerProperties properties,
      @Value("${tts.openai-api.worker-slots}") int liveSlots,
      HeapGuard heap,
      StoreOutage outage,
      TtsMetrics metrics) {
    this.queue = queue;
    this.liveQueue = liveQueue;
    this.processor = processor;
    this.synthesis = synthesis;
    this.voices = voices;
    this.inFlight = inFlight;
    this.identity = identity;
    this.slotCount = properties.effectiveSlots();
    this.shutdownGrace = properties.shutdownGrace();
    // Fair: a loop that read nothing queues behind the others, so with fewer slots than
    // partitions every partition gets its turn.
    this.slots = new Semaphore(slotCount, true);
    this.liveSlots = new Semaphore(liveSlots);
    this.heap = heap;
    this.outage = outage;
    metrics.activeWorkers(this::busySlots, slotCount);
  }

  @Override
  public synchronized void start() {
    // A job mostly waits (for its chunks on the SynthesisPool, for PostgreSQL and Redis), so it
    // runs on a virtual thread; the slots bound how many run at once.
    jobThreads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("job-", 1).factory());
    running = true;
    // One loop per partition of the queue, all drawing on the same slots: a blocking read can
    // only wait on one partition (one hash slot) at a time.
    for (QueuePartition partition : queue.partitions()) {
      start(
          new Lane<>(
              "job-dispatcher-" + partition.index(),
              () ->
                  new StoredJobs(
                      queue.reader(partition, identity.consumerName()), queue, processor, inFlight),
              slots,
              true));
    }
    String liveConsumer = "live-" + identity.consumerName();
    start(
        new Lane<>(
            "live-dispatcher",
            () -> new LiveJobs(liveQueue, liveConsumer, LIVE_BLOCK, synthesis, voices),
            liveSlots,
            false));
    log.info("Worker {} started with {} synthesis slots", identity.consumerName(), slotCount);
  }

  private <J> void start(Lane<J> lane) {
    loops.add(Thread.ofVirtual().name(lane.name()).start(() -> dispatch(lane)));
  }

  private <J> void dispatch(Lane<J> lane) {
    Duration backoff = Duration.ZERO;
    JobSource<J> source = null;
    try {
      while (running) {
        if (lane.pausable()) {
          // Backpressure: with the heap near full, leave jobs in the queue for other nodes.
          heap.awaitHeadroom();
          // PostgreSQL or Redis failing jobs: wait a little (longer each time) before the next.
          outage.pauseIfOngoing();
        }
        // Waits taken before the slot, so an interrupt there never leaves a slot taken.
        lane.slots().acquire();
        Optional<J> next;
        try {
          if (source == null) {
            source = lane.open().get();
          }
          next = source.next(lane.slots().hasQueuedThreads());
          if (!backoff.isZero()) {
            log.info("Worker {} reads the queue again ({})", identity.consumerName(), lane.name());
            backoff = Duration.ZERO;
          }
        } catch (RuntimeException e) {
          // Nothing thrown here may end the loop: a worker that stops consuming is worse than one
          // that waits for Redis to come back.
          lane.slots().release();
          if (!running) {
            break;
          }
          if (backoff.isZero()) {
            log.warn(
                "Worker {} cannot read the queue ({}), backing off: {}",
                identity.consumerName(),
                lane.name(),
                e.toString());
          }
          backoff =
              backoff.isZero() ? Duration.ofMillis(100) : min(backoff.multipliedBy(2), MAX_BACKOFF);
          Thread.sleep(backoff);
          continue;
        }
        if (next.isEmpty()) {
          lane.slots().release();
          continue;
        }
        run(lane, source, next.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (source != null) {
        source.handBackUnread();
        source.close();
      }
    }
  }

  private <J> void run(Lane<J> lane, JobSource<J> source, J job) {
    Slot slot = new Slot(lane.slots());
    jobThreads.execute(
        () -> {
          try {
            source.run(job, slot);
          } finally {
            slot.giveBack();
          }
        });
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /**
   * Stops taking jobs at once; gives running jobs the shutdown grace period to finish, then
   * interrupts them, which ends a stored job's attempt and puts it back in the queue for another
   * worker (never left to wait out the visibility timeout). Jobs read but not started go back too.
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
