package dev.ttsapi.cache;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The multi-level caches of API keys, user limits and the voice catalog ({@link MultiLevelCache}).
 * A change made through the API reaches every node at once through Redis pub/sub; the expiries only
 * bound how long a node stays stale when such a message is lost, or when a row is changed behind
 * the service's back.
 *
 * @param localTtl how long a node keeps a value in its memory
 * @param localMaxEntries most values one cache keeps in a node's memory
 * @param sharedTtl how long a value stays in Redis for the other nodes
 * @param tombstoneTtl how long, after a change, no node copies what it read into Redis: longer than
 *     a database read takes, so a read that started before the change cannot share the old value
 * @param unknownKeyTtl how long a node remembers that an API key matched nothing, so a client
 *     repeating a wrong key costs no database query (revoked keys are evicted at once instead)
 */
@Validated
@ConfigurationProperties("tts.cache")
public record CacheProperties(
    @NotNull Duration localTtl,
    @Min(1) long localMaxEntries,
    @NotNull Duration sharedTtl,
    @NotNull Duration tombstoneTtl,
    @NotNull Duration unknownKeyTtl) {}
