package dev.ttsapi.request;

import java.time.Instant;
import java.util.UUID;

/** What a status poll shows; served from Redis, or from PostgreSQL when Redis has nothing. */
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
    String ssml) {

  /** A snapshot of plain text, or without its SSML report. */
  public StatusSnapshot(
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
      Long audioDurationMs) {
    this(
        id,
        userId,
        status,
        progress,
        voice,
        format,
        createdAt,
        startedAt,
        completedAt,
        error,
        audioBytes,
        audioDurationMs,
        null);
  }

  static StatusSnapshot of(TtsRequest r) {
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
        r.ssml());
  }
}
