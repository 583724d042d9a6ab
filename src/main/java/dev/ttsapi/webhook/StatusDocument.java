package dev.ttsapi.webhook;

import dev.ttsapi.request.StatusSnapshot;
import java.time.Instant;

/**
 * The body of a request's webhook: the same JSON as {@code GET /tts/status/{id}} answers for it
 * (field for field, as WebhookDeliveryTest checks), so a client parses one shape whether it polls
 * or is called.
 */
public record StatusDocument(
    String requestId,
    String status,
    double progress,
    String voice,
    String format,
    Instant createdAt,
    Instant startedAt,
    Instant completedAt,
    String error,
    Audio audio) {

  /** The audio of a completed request. */
  public record Audio(Double durationSeconds, Long bytes, String url) {}

  public static StatusDocument of(StatusSnapshot s) {
    Audio audio =
        s.audioBytes() == null
            ? null
            : new Audio(
                s.audioDurationMs() == null ? null : s.audioDurationMs() / 1000.0,
                s.audioBytes(),
                "/tts/audio/" + s.id());
    return new StatusDocument(
        s.id().toString(),
        s.status().wireName(),
        s.progress(),
        s.voice(),
        s.format(),
        s.createdAt(),
        s.startedAt(),
        s.completedAt(),
        s.error(),
        audio);
  }
}
