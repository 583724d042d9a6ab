package dev.ttsapi.backpressure;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Backpressure instead of collapse: the API refuses submissions while the queue is too deep, and
 * workers take no job while their heap is too full.
 *
 * @param queueDepthCache queue depths are read from Redis at most this often (metrics and the API's
 *     queue limit share them)
 * @param maxQueueDepth above this many jobs in all queues, normal and low priority submits are
 *     answered 503
 * @param highPriorityMaxQueueDepth the larger allowance of high-priority submits
 * @param retryAfter the Retry-After of a 503 for a full queue
 * @param workerHeapFraction workers stop taking jobs while heap use is above this fraction of the
 *     maximum heap, and resume below it
 * @param heapCheckInterval how often a paused worker looks at the heap again
 */
@Validated
@ConfigurationProperties("tts.backpressure")
public record BackpressureProperties(
    @NotNull Duration queueDepthCache,
    @Min(1) long maxQueueDepth,
    @Min(1) long highPriorityMaxQueueDepth,
    @NotNull Duration retryAfter,
    @DecimalMin("0.0") @DecimalMax("1.0") double workerHeapFraction,
    @NotNull Duration heapCheckInterval) {}
