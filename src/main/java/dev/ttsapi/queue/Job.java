package dev.ttsapi.queue;

import java.time.Instant;
import java.util.UUID;

/**
 * What a stream entry carries: just enough to find the request's row. PostgreSQL holds the rest.
 *
 * @param requestId the request's UUIDv7
 * @param createdAt the request's creation time (its partition key)
 * @param priority the stream the job goes to
 * @param userId the request's owner, whose place under the per-user cap the job holds; null only
 *     for an entry written before entries named it (its owner is then read from the cap's record)
 * @param contentKey the request's content key, so that a worker can ask for the key's single-flight
 *     lease while PostgreSQL starts the job, instead of after; null when the entry does not carry
 *     it (a job that waited under the per-user cap, an entry of an older version), and then the
 *     worker asks after the start
 * @param lostBeforeStart how many times a worker took the job and never started it (it died first,
 *     or PostgreSQL refused the start); attempts only count starts, so without this a job whose
 *     start always fails would go round forever
 */
public record Job(
    UUID requestId,
    Instant createdAt,
    Priority priority,
    UUID userId,
    String contentKey,
    int lostBeforeStart) {

  public Job(UUID requestId, Instant createdAt, Priority priority, UUID userId) {
    this(requestId, createdAt, priority, userId, null, 0);
  }

  public Job(UUID requestId, Instant createdAt, Priority priority, UUID userId, String contentKey) {
    this(requestId, createdAt, priority, userId, contentKey, 0);
  }

  /** The same job, lost once more before it started. */
  public Job lostAgain() {
    return new Job(requestId, createdAt, priority, userId, contentKey, lostBeforeStart + 1);
  }
}
