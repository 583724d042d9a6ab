package dev.ttsapi.queue;

import java.time.Instant;
import java.util.UUID;

/**
 * What a stream entry carries: just enough to find the request's row. PostgreSQL holds the rest.
 *
 * @param requestId the request's UUIDv7
 * @param createdAt the request's creation time (its partition key)
 * @param priority the stream the job goes to
 */
public record Job(UUID requestId, Instant createdAt, Priority priority) {}
