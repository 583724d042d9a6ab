package dev.ttsapi.request;

import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.queue.Priority;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of the requests table.
 *
 * @param sampleRate the sample rate of the audio, in Hz
 */
public record TtsRequest(
    UUID id,
    Instant createdAt,
    UUID userId,
    RequestStatus status,
    Priority priority,
    String text,
    String language,
    String voiceRequested,
    String voice,
    double speed,
    double pitch,
    AudioFormat format,
    int sampleRate,
    String contentKey,
    boolean cacheHit,
    int attempt,
    double progress,
    String error,
    Long audioBytes,
    Long audioDurationMs,
    Instant startedAt,
    Instant completedAt,
    Instant updatedAt) {}
