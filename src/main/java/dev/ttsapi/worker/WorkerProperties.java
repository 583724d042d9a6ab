package dev.ttsapi.worker;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Workers.
 *
 * @param slots jobs one worker runs at once (each pulled only when a slot is free: prefetch 1); 0
 *     means one per CPU core
 * @param synthesisThreads platform threads that synthesize chunks, shared by all running jobs; 0
 *     means one per CPU core (synthesis is CPU-bound, more would only queue on the cores)
 * @param chunkCharacters longest piece of text sent to an engine at once (an engine may allow less)
 * @param shutdownGrace how long a stopping worker lets running jobs finish before it hands them
 *     back to the queue
 * @param heartbeatInterval how often a worker refreshes its heartbeat key, and how often it looks
 *     for jobs held by workers whose heartbeat is gone
 * @param heartbeatTtl how long a heartbeat lasts unrefreshed: a worker silent this long is taken
 *     for dead and its jobs go to another (several intervals, so a pause does not cost its jobs)
 */
@Validated
@ConfigurationProperties("tts.worker")
public record WorkerProperties(
    @Min(0) @Max(256) int slots,
    @Min(0) @Max(256) int synthesisThreads,
    @Min(50) int chunkCharacters,
    @jakarta.validation.constraints.NotNull java.time.Duration shutdownGrace,
    @jakarta.validation.constraints.NotNull java.time.Duration heartbeatInterval,
    @jakarta.validation.constraints.NotNull java.time.Duration heartbeatTtl) {

  public WorkerProperties {
    if (heartbeatInterval != null
        && heartbeatTtl != null
        && heartbeatTtl.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException(
          "tts.worker.heartbeat-ttl must be at least twice tts.worker.heartbeat-interval, so one"
              + " late refresh does not make a live worker look dead");
    }
  }

  public int effectiveSlots() {
    return slots > 0 ? slots : Runtime.getRuntime().availableProcessors();
  }

  public int effectiveSynthesisThreads() {
    return synthesisThreads > 0 ? synthesisThreads : Runtime.getRuntime().availableProcessors();
  }
}
