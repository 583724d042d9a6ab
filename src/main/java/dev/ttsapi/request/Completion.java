package dev.ttsapi.request;

import dev.ttsapi.engine.SynthesisUsage;

/**
 * What a finished attempt produced and cost.
 *
 * @param audioBytes size of the stored audio
 * @param durationMs length of the audio
 * @param model the engine's model, if it has one (recorded for cost reports)
 * @param usage billable units of every synthesis call of the attempt, added up
 */
public record Completion(long audioBytes, long durationMs, String model, SynthesisUsage usage) {}
