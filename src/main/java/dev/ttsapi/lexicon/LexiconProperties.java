package dev.ttsapi.lexicon;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of pronunciation lexicons ({@code tts.lexicon}).
 *
 * @param maxBytes largest upload of one lexicon, in bytes
 * @param maxRules most rules (graphemes) one lexicon may hold
 * @param maxGraphemeLength longest grapheme, in characters
 * @param maxReplacementLength longest alias or phoneme, in characters
 * @param maxPerUser most lexicons one user may keep
 * @param maxPerRequest most lexicons one request may name
 * @param maxExpansion how many times longer than the submitted text the text after the lexicons may
 *     be (plus 1,000 characters): aliases cannot turn a short text into megabytes
 */
@Validated
@ConfigurationProperties("tts.lexicon")
public record LexiconProperties(
    @Min(1) @Max(8 * 1024 * 1024) int maxBytes,
    @Min(1) @Max(100_000) int maxRules,
    @Min(1) @Max(1000) int maxGraphemeLength,
    @Min(1) @Max(10_000) int maxReplacementLength,
    @Min(1) @Max(10_000) int maxPerUser,
    @Min(1) @Max(20) int maxPerRequest,
    @Min(1) @Max(100) int maxExpansion) {}
