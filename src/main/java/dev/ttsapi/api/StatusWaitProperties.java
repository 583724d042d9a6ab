package dev.ttsapi.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Status polls that wait for a change ({@code GET /tts/status/{id}} with {@code Prefer: wait=N}).
 *
 * @param maxWait the longest wait honoured; a longer {@code wait} is cut to it (and {@code
 *     Preference-Applied} says so)
 * @param maxWaitingPolls polls waiting at once on one node at most; past it a poll is answered at
 *     once, without {@code Preference-Applied}
 */
@Validated
@ConfigurationProperties("tts.status")
record StatusWaitProperties(
    @NotNull Duration maxWait, @Min(0) @Max(1_000_000) int maxWaitingPolls) {}
