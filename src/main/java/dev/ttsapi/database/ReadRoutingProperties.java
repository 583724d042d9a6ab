package dev.ttsapi.database;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How reads are spread over the read replicas named by {@code DATABASE_REPLICA_URLS}; nothing here
 * matters without them.
 *
 * @param rememberWritesFor how long a user's last write is remembered (in Redis, so on every API
 *     node): until then their reads go only to a replica that has replayed it. A replica further
 *     behind the primary than this is not used at all.
 * @param replicaCheckInterval how often each replica's replay position is read; a replica found
 *     unreachable is tried again this often, its reads going to the primary meanwhile
 * @param replicaConnectionTimeout longest wait for a connection to a replica before the read goes
 *     to the primary instead
 * @param replicaReadTimeout longest wait for a replica's answer on an open connection (whole
 *     seconds, at least one): a replica that hangs without closing its connections (a frozen host,
 *     a network partition) would otherwise hold reads, and its check, for as long as TCP lets it;
 *     after this the read goes to the primary and the replica counts as down
 */
@Validated
@ConfigurationProperties("tts.read-routing")
public record ReadRoutingProperties(
    @NotNull Duration rememberWritesFor,
    @NotNull Duration replicaCheckInterval,
    @NotNull Duration replicaConnectionTimeout,
    @NotNull Duration replicaReadTimeout) {}
