package dev.ttsapi.maintenance;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Housekeeping, run by the maintenance role on one node at a time.
 *
 * @param partitionMonthsAhead month partitions of the requests table kept ready beyond the current
 *     month
 * @param partitionInterval how often partitions are checked
 * @param sweepInterval how often queued requests are checked against the queue
 * @param sweepAge a queued request untouched this long, with no queue entry, is queued again
 * @param retention month partitions of requests that ended longer ago than this are dropped with
 *     the audio only they referenced; request events older than this are deleted
 * @param retentionInterval how often retention runs
 * @param forgetConsumersAfter queue consumers idle this long, holding no job, leave the group
 * @param redisCheckInterval how often the run ids of the Redis masters are read: a changed one (a
 *     restart, a failover) may have lost queue entries
 * @param recoverySweepAge after such a change, queued requests untouched this long with no queue
 *     entry are queued again at once, instead of after {@code sweepAge}
 */
@Validated
@ConfigurationProperties("tts.maintenance")
public record MaintenanceProperties(
    @Min(2) @Max(24) int partitionMonthsAhead,
    @NotNull Duration partitionInterval,
    @NotNull Duration sweepInterval,
    @NotNull Duration sweepAge,
    @NotNull Duration retention,
    @NotNull Duration retentionInterval,
    @NotNull Duration forgetConsumersAfter,
    @NotNull Duration redisCheckInterval,
    @NotNull Duration recoverySweepAge) {}
