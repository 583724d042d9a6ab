package dev.ttsapi.request;

import dev.ttsapi.engine.SynthesisUsage;

/**
 * What a finished attempt produced and cost.
 *
 * @param audioBytes size of the stored audio
 * @param durationMs length of the audio
 * @param model the engine's model, if it has one (recorded for cost reports)
 * @param usage billable units of every synthesis call of the attempt, added up
 * @param synthesisMs time spent making and storing the audio (synthesis, encoding, store), 0 when
 *     none was made (the audio was already stored); recorded with the completed event so the time a
 *     request spent elsewhere (queue, state changes) can be told apart
 * @param ssml for SSML, the request's report with the marks' times in this audio (JSON), replacing
 *     the one it was accepted with; null to leave it
 * @param timings the timings of the audio this attempt made ({@code timings.Timings} as JSON),
 *     saved by the completing statement itself, so they are there exactly when the audio's index
 *     entry is; null when the attempt made no audio (it was stored already)
 */
public record Completion(
    long audioBytes,
    long durationMs,
    String model,
    SynthesisUsage usage,
    double synthesisMs,
    String ssml,
    String timings) {

  public Completion(
      long audioBytes,
      long durationMs,
      String model,
      SynthesisUsage usage,
      double synthesisMs,
      String ssml) {
    this(audioBytes, durationMs, model, usage, synthesisMs, ssml, null);
  }

  public Completion(
      long audioBytes, long durationMs, String model, SynthesisUsage usage, double synthesisMs) {
    this(audioBytes, durationMs, model, usage, synthesisMs, null);
  }

  /** Audio that was not made by this attempt (taken from the store). */
  public Completion(long audioBytes, long durationMs, String model, SynthesisUsage usage) {
    this(audioBytes, durationMs, model, usage, 0);
  }
}
