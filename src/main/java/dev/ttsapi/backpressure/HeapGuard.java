package dev.ttsapi.backpressure;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Worker backpressure on memory: before a worker reads the next job it waits here while heap use is
 * above {@code tts.observability.worker-heap-fraction} of the maximum heap. A pause is one episode:
 * one log line when it starts, one when it ends, and the {@code tts_worker_paused} gauge is 1
 * meanwhile.
 */
@Component
public class HeapGuard {

  private static final Logger log = LoggerFactory.getLogger(HeapGuard.class);

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final Duration checkInterval;
  private final Counter pauses;
  private volatile double limit;
  private volatile boolean paused;

  HeapGuard(BackpressureProperties properties, MeterRegistry registry) {
    this.limit = properties.workerHeapFraction();
    this.checkInterval = properties.heapCheckInterval();
    Gauge.builder("tts.worker.paused", this, g -> g.paused ? 1 : 0)
        .description("1 while this node's workers take no jobs because the heap is too full")
        .register(registry);
    Gauge.builder("tts.worker.heap.used.fraction", this, HeapGuard::heapUsedFraction)
        .description("Heap used as a fraction of the maximum heap")
        .register(registry);
    this.pauses =
        Counter.builder("tts.worker.pauses")
            .description("Times workers stopped taking jobs because the heap was too full")
            .register(registry);
  }

  /** Returns at once while there is headroom; otherwise waits until there is. */
  public void awaitHeadroom() throws InterruptedException {
    if (heapUsedFraction() <= limit) {
      return;
    }
    paused = true;
    pauses.increment();
    log.warn(
        "Heap is {}% full (limit {}%): workers take no new jobs until it drops",
        Math.round(heapUsedFraction() * 100), Math.round(limit * 100));
    try {
      while (heapUsedFraction() > limit) {
        Thread.sleep(checkInterval);
      }
    } finally {
      paused = false;
    }
    log.info("Heap is {}% full: workers take jobs again", Math.round(heapUsedFraction() * 100));
  }

  public boolean paused() {
    return paused;
  }

  double heapUsedFraction() {
    MemoryUsage heap = memory.getHeapMemoryUsage();
    long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
    return (double) heap.getUsed() / max;
  }

  /** Tests move the limit to force a pause and end it. */
  void limit(double fraction) {
    this.limit = fraction;
  }

  double limit() {
    return limit;
  }
}
