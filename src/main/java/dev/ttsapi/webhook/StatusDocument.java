package dev.ttsapi.webhook;

import dev.ttsapi.request.StatusSnapshot;
import dev.ttsapi.ssml.SsmlReport;
import java.time.Instant;

/**
 * The body of a request's webhook: the same JSON as {@code GET /tts/status/{id}} answers for it
 * (field for field, as WebhookDeliveryTest checks, for plain text and SSML), so a client parses one
 * shape whether it polls or is called. The poll's {@code queue} is the one field it never has: a
 * webhook is sent when a request has ended.
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
    Audio audio,
    SsmlReport ssml) {

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
        audio,
        SsmlReport.fromJson(s.ssml()));
  }
}
