package dev.ttsapi.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.springframework.stereotype.Component;

/**
 * The service's own metrics, named as the seed names them once Prometheus has added its suffixes
 * ({@code tts.requests} becomes {@code tts_requests_total}). Every label has a bounded set of
 * values: statuses, installed voices and engines, text-length buckets. There is no user label;
 * per-user usage is served by the API from PostgreSQL.
 */
@Component
public class TtsMetrics {

  /** The histogram buckets of synthesis time, in seconds. */
  private static final Duration[] PROCESSING_BUCKETS = {
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofSeconds(120),
    Duration.ofSeconds(300)
  };

  private final MeterRegistry registry;

  public TtsMetrics(MeterRegistry registry) {
    this.registry = registry;
    // Counters an alert reads exist from the start, at 0, so rate() and increase() see them.
    deadLetteredCounter();
    reclaimedCounter();
    for (String limit : FAIL_OPEN_LIMITS) {
      failedOpenCounter(limit);
    }
  }

  /** The limits that let a call through when Redis cannot answer (the label's values). */
  private static final java.util.List<String> FAIL_OPEN_LIMITS =
      java.util.List.of("submit", "poll", "failed_login", "quota");

  /**
   * A limit let a call through because Redis could not answer it (down, timed out, or a misrouted
   * key): the call went unlimited. Alerted on, since limits that fail open quietly are limits that
   * are off.
   *
   * @param limit submit, poll, failed_login or quota
   */
  public void limitFailedOpen(String limit) {
    failedOpenCounter(limit).increment();
  }

  private Counter failedOpenCounter(String limit) {
    return Counter.builder("tts.limits.failed.open")
        .description("Calls let through unlimited because Redis could not answer a limit's check")
        .tag("limit", limit)
        .register(registry);
  }

  /** A request was accepted (status {@code received}, the seed's label). */
  public void received(String voice, boolean cacheHit) {
    requests("received", voice);
    Counter.builder("tts.cache.lookups")
        .description("Submits answered from stored audio (hit) or sent to synthesis (miss)")
        .tag("result", cacheHit ? "hit" : "miss")
        .register(registry)
        .increment();
    if (cacheHit) {
      requests("completed", voice);
    }
  }

  /** A request reached a terminal state: {@code completed}, {@code failed} or {@code cancelled}. */
  public void finished(String status, String voice) {
    requests(status, voice);
  }

  /** A request failed for good and its job went to the dead-letter stream. */
  public void deadLettered() {
    deadLetteredCounter().increment();
  }

  /** A job was taken over from a worker that stopped responding. */
  public void reclaimed() {
    reclaimedCounter().increment();
  }

  /**
   * One synthesis finished: its time goes to the histogram by voice and text-length bucket, and its
   * real-time factor (processing time / audio time) to the engine's summary.
   */
  public void processed(String voice, int textLength, Duration took, long audioMillis) {
    Timer.builder("tts.processing.duration")
        .description("Time spent synthesizing and storing one request")
        .tag("voice", voice)
        .tag("text_length", lengthBucket(textLength))
        .serviceLevelObjectives(PROCESSING_BUCKETS)
        .register(registry)
        .record(took);
    if (audioMillis > 0) {
      DistributionSummary.builder("tts.engine.real.time.factor")
          .description("Processing seconds per second of audio; below 1 is faster than real time")
          .tag("engine", engine(voice))
          .serviceLevelObjectives(0.05, 0.1, 0.25, 0.5, 1, 2, 5)
          .register(registry)
          .record(took.toNanos() / 1e6 / audioMillis);
    }
  }

  /**
   * Duplicates on this node waiting, off their slot, for another job to make the same audio; read
   * when scraped, beside their bound.
   */
  public void waitingDuplicates(IntSupplier waiting, int bound) {
    Gauge.builder("tts.worker.waiting.duplicates", waiting, IntSupplier::getAsInt)
        .description("Jobs waiting without a slot for an identical job's synthesis on this node")
        // a gauge holds its object weakly, and nothing else holds this lambda
        .strongReference(true)
        .register(registry);
    Gauge.builder("tts.worker.waiting.duplicates.limit", () -> bound)
        .description("Most jobs that may wait without a slot on this node")
        .register(registry);
  }

  /**
   * What a job cost the worker around its synthesis: {@code before_engine} from taking the job to
   * the engine's start (start transition, status, single-flight), {@code after_engine} from the
   * stored audio to the acknowledgement (completion, status, lease, ack). p50 and p99 are published
   * (tts_worker_overhead_seconds{quantile=...}) for bench/run.sh.
   */
  public void workerOverhead(String phase, Duration took) {
    Timer.builder("tts.worker.overhead")
        .description("Worker time per job outside synthesis, by phase")
        .tag("phase", phase)
        // Percentiles only: with histogram buckets too, the Prometheus registry exports a
        // histogram and leaves the quantiles out.
        .publishPercentiles(0.5, 0.99)
        .register(registry)
        .record(took);
  }

  /** Busy synthesis slots on this node, read when scraped. */
  public void activeWorkers(IntSupplier busySlots, int slots) {
    Gauge.builder("tts.active.workers", busySlots, IntSupplier::getAsInt)
        .description("Synthesis slots running a job on this node")
        // held weakly by default: a method reference nobody else holds would be collected
        .strongReference(true)
        .register(registry);
    Gauge.builder("tts.worker.slots", () -> slots)
        .description("Synthesis slots on this node")
        .register(registry);
  }

  /** A submit answered 503 because the queue was over its limit. */

  /** The text-length label: a bucket, never the raw length. */
  static String lengthBucket(int length) {
    if (length < 100) {
      return "0-100";
    }
    if (length < 500) {
      return "100-500";
    }
    if (length < 2000) {
      return "500-2000";
    }
    return "2000+";
  }

  static String engine(String voice) {
    int colon = voice.indexOf(':');
    return colon > 0 ? voice.substring(0, colon) : voice;
  }

  private Counter deadLetteredCounter() {
    return Counter.builder("tts.jobs.dead.lettered")
        .description("Jobs moved to the dead-letter stream after their last attempt")
        .register(registry);
  }

  private Counter reclaimedCounter() {
    return Counter.builder("tts.jobs.reclaimed")
        .description("Jobs taken over from workers that stopped responding")
        .register(registry);
  }

  private void requests(String status, String voice) {
    Counter.builder("tts.requests")
        .description("TTS requests by status: received at accept, then their terminal state")
        .tag("status", status)
        .tag("voice", voice)
        .register(registry)
        .increment();
  }
}
