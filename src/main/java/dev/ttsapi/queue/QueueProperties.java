package dev.ttsapi.queue;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The Redis Streams queue.
 *
 * @param visibilityTimeout an entry unacknowledged and idle this long belongs to a dead worker and
 *     is reclaimed; live workers renew their entries well before that
 * @param maxAttempts deliveries of one request before it is failed and dead-lettered
 * @param reclaimInterval how often idle entries are looked for
 * @param blockTimeout how long one blocking read waits before the worker looks around again
 * @param fairnessInterval every this-many reads start from the lowest priority, so low is served
 *     even while high never empties
 * @param deadLetterMaxLength the dead-letter stream is trimmed to about this many entries
 * @param perUserMaxJobs jobs of one user in the streams at once, waiting or running, across the
 *     cluster; the user's further requests are held back and go in, highest priority and oldest
 *     first, as those end. So no user runs more than this many jobs at once, and another user's
 *     request waits behind at most this many of each user's.
 * @param partitions how many partitions the queue is spread over, each its own Redis hash slot: 1
 *     for one Redis server; more let a Redis Cluster spread the queue's work over its masters
 */
@Validated
@ConfigurationProperties("tts.queue")
public record QueueProperties(
    @NotNull Duration visibilityTimeout,
    @Min(1) int maxAttempts,
    @NotNull Duration reclaimInterval,
    @NotNull Duration blockTimeout,
    @Min(2) int fairnessInterval,
    @Min(1) long deadLetterMaxLength,
    @Min(1) int perUserMaxJobs,
    @Min(1) @Max(1024) int partitions) {}
