package dev.ttsapi.request;

import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.queue.Job;
import dev.ttsapi.queue.Priority;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of the requests table: who asked, what is to be spoken ({@link Speech}), and how far it
 * got ({@link Outcome}). New rows are made by {@link #queued} or {@link #fromCache}; the accessors
 * of the parts' fields are here too, as the callers read a request.
 */
public record TtsRequest(
    UUID id,
    Instant createdAt,
    UUID userId,
    RequestStatus status,
    Priority priority,
    Speech speech,
    Outcome outcome) {

  /**
   * What is to be spoken and how; fixed when the request is accepted.
   *
   * @param sampleRate the sample rate of the audio, in Hz
   * @param contentKey names the audio: the same key is the same sound ({@code ContentKey})
   * @param characters the spoken characters: what is billed (for SSML the words, not the markup)
   * @param ssml for SSML, its report as JSON ({@code ssml.SsmlReport}): what the engine honoured
   *     and dropped, and once completed the marks' times; null for plain text
   * @param spokenText what the engine is given when it is not {@code text} (pronunciation lexicons
   *     replaced words), else null
   */
  public record Speech(
      String text,
      String language,
      String voiceRequested,
      String voice,
      double speed,
      double pitch,
      AudioFormat format,
      int sampleRate,
      String contentKey,
      int characters,
      String ssml,
      String spokenText) {

    Speech withSsml(String report) {
      return new Speech(
          text,
          language,
          voiceRequested,
          voice,
          speed,
          pitch,
          format,
          sampleRate,
          contentKey,
          characters,
          report,
          spokenText);
    }

    /** Plain text: billed by its length. */
    public Speech(
        String text,
        String language,
        String voiceRequested,
        String voice,
        double speed,
        double pitch,
        AudioFormat format,
        int sampleRate,
        String contentKey) {
      this(
          text,
          language,
          voiceRequested,
          voice,
          speed,
          pitch,
          format,
          sampleRate,
          contentKey,
          text.codePointCount(0, text.length()),
          null,
          null);
    }

    /** What the engine is to speak: the spoken text if there is one, else the text. */
    public String textToSpeak() {
      return spokenText != null ? spokenText : text;
    }
  }

  /** How far the request got: changed by each transition of its life. */
  public record Outcome(
      boolean cacheHit,
      int attempt,
      double progress,
      String error,
      Long audioBytes,
      Long audioDurationMs,
      Instant startedAt,
      Instant completedAt,
      Instant updatedAt) {}

  /** A request waiting for a worker, created now (its UUIDv7 id holds the time). */
  static TtsRequest queued(UUID id, UUID userId, Priority priority, Speech speech) {
    Instant createdAt = RequestIds.createdAt(id);
    return new TtsRequest(
        id,
        createdAt,
        userId,
        RequestStatus.QUEUED,
        priority,
        speech,
        new Outcome(false, 0, 0.0, null, null, null, null, null, createdAt));
  }

  /** A request answered at once with audio already stored under its content key. */
  static TtsRequest fromCache(
      UUID id, UUID userId, Priority priority, Speech speech, long audioBytes, long durationMs) {
    Instant createdAt = RequestIds.createdAt(id);
    return new TtsRequest(
        id,
        createdAt,
        userId,
        RequestStatus.COMPLETED,
        priority,
        speech,
        new Outcome(true, 0, 1.0, null, audioBytes, durationMs, createdAt, createdAt, createdAt));
  }

  public String text() {
    return speech.text();
  }

  public String language() {
    return speech.language();
  }

  public String voiceRequested() {
    return speech.voiceRequested();
  }

  public String voice() {
    return speech.voice();
  }

  public double speed() {
    return speech.speed();
  }

  public double pitch() {
    return speech.pitch();
  }

  public AudioFormat format() {
    return speech.format();
  }

  public int sampleRate() {
    return speech.sampleRate();
  }

  public String contentKey() {
    return speech.contentKey();
  }

  /** The queue's view of this request: what its stream entry carries. */
  public Job job() {
    return new Job(id, createdAt, priority, userId, contentKey());
  }

  /** The characters billed for this request: the spoken ones. */
  public int characters() {
    return speech.characters();
  }

  /** The SSML report as JSON, or null for plain text. */
  public String ssml() {
    return speech.ssml();
  }

  public boolean cacheHit() {
    return outcome.cacheHit();
  }

  public int attempt() {
    return outcome.attempt();
  }

  public double progress() {
    return outcome.progress();
  }

  public String error() {
    return outcome.error();
  }

  public Long audioBytes() {
    return outcome.audioBytes();
  }

  public Long audioDurationMs() {
    return outcome.audioDurationMs();
  }

  public Instant startedAt() {
    return outcome.startedAt();
  }

  public Instant completedAt() {
    return outcome.completedAt();
  }

  public Instant updatedAt() {
    return outcome.updatedAt();
  }
}
