package dev.ttsapi.batch;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Batches ({@code POST /tts/batches}).
 *
 * @param maxItems most items one batch may hold
 */
@Validated
@ConfigurationProperties("tts.batch")
public record BatchProperties(@Min(1) @Max(10_000) int maxItems) {}
