package dev.ttsapi.request;

import dev.ttsapi.queue.Priority;
import java.time.Instant;
import java.util.UUID;

/**
 * What a status poll shows; served from Redis, or from PostgreSQL when Redis has nothing.
 *
 * @param priority the queue it waits in; null in a status hash written before it was kept there
 * @param ssml the SSML report (what was honoured and dropped) as JSON; null for plain text
 */
public record StatusSnapshot(
    UUID id,
    UUID userId,
    RequestStatus status,
    double progress,
    String voice,
    String format,
    Instant createdAt,
    Instant startedAt,
    Instant completedAt,
    String error,
    Long audioBytes,
    Long audioDurationMs,
    Priority priority,
    String ssml) {

  /** What a poll of {@code r} shows, read from its row. */
  public static StatusSnapshot of(TtsRequest r) {
    return new StatusSnapshot(
        r.id(),
        r.userId(),
        r.status(),
        r.status() == RequestStatus.COMPLETED ? 1.0 : r.progress(),
        r.voice(),
        r.format().extension(),
        r.createdAt(),
        r.startedAt(),
        r.completedAt(),
        r.error(),
        r.audioBytes(),
        r.audioDurationMs(),
        r.priority(),
        r.ssml());
  }
}
