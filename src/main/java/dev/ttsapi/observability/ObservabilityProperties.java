package dev.ttsapi.observability;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Metrics, health and backpressure.
 *
 * @param queueDepthCache queue depths are read from Redis at most this often (metrics and the API's
 *     queue limit share them)
 * @param storeCheckInterval how often PostgreSQL, Redis and the audio store are checked for
 *     readiness and round-trip times
 * @param workerHeapFraction workers stop taking jobs while heap use is above this fraction of the
 *     maximum heap, and resume below it
 * @param heapCheckInterval how often a paused worker looks at the heap again
 * @param maxQueueDepth above this many jobs in all queues, normal and low priority submits are
 *     answered 503
 * @param highPriorityMaxQueueDepth the larger allowance of high-priority submits
 * @param retryAfter the Retry-After of a 503 for a full queue
 * @param maxProfileSeconds longest JFR profile {@code POST /admin/profile} records
 */
@Validated
@ConfigurationProperties("tts.observability")
public record ObservabilityProperties(
    @NotNull Duration queueDepthCache,
    @NotNull Duration storeCheckInterval,
    @DecimalMin("0.0") @DecimalMax("1.0") double workerHeapFraction,
    @NotNull Duration heapCheckInterval,
    @Min(1) long maxQueueDepth,
    @Min(1) long highPriorityMaxQueueDepth,
    @NotNull Duration retryAfter,
    @Min(1) int maxProfileSeconds) {}
