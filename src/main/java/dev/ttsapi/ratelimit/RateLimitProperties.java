package dev.ttsapi.ratelimit;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Fair use: how much one user may ask of the service. Per-user limits set by an admin win over the
 * two defaults here.
 *
 * @param enabled off turns every limit off (a trusted, internal deployment)
 * @param requestsPerMinute default submissions (and other non-GET calls) per user and minute
 * @param charactersPerDay default characters of text per user and UTC day
 * @param pollRequestsPerMinute status polls and audio downloads per user and minute, a budget of
 *     their own so polling never eats the submit budget; a user whose submit budget an admin set
 *     gets {@code pollMultiple} times it instead (never less than this), unless the admin set the
 *     poll budget too
 * @param pollMultiple how many polls per submission a user with a raised submit budget may make
 * @param keyRequestsPerMinute submissions per API key and minute, for users with several keys; 0
 *     means a key may use the whole of its user's budget
 * @param failedLoginsPerMinute calls with an unknown API key per client address and minute, across
 *     API nodes; past it the address is refused (429) without its keys being looked up
 * @param auditFlushInterval how often the usage counted in memory is written to {@code rate_limit}
 * @param auditMaxEntries most (user, day) rows kept in memory before an early flush (one upsert
 *     takes at most 10,000 rows: five parameters each, PostgreSQL allows 65,535)
 */
@Validated
@ConfigurationProperties("tts.ratelimit")
public record RateLimitProperties(
    boolean enabled,
    @Min(1) int requestsPerMinute,
    @Min(1) long charactersPerDay,
    @Min(1) int pollRequestsPerMinute,
    @Min(1) int pollMultiple,
    @Min(0) int keyRequestsPerMinute,
    @Min(1) int failedLoginsPerMinute,
    @NotNull Duration auditFlushInterval,
    @Min(1) @Max(10_000) int auditMaxEntries) {}
