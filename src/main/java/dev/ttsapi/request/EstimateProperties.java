package dev.ttsapi.request;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How {@code POST /tts/estimate} estimates the length of audio.
 *
 * @param charactersPerSecond speaking rate at speed 1 per language (its primary subtag: {@code en},
 *     {@code ja}), used while a voice has too few measured requests
 * @param defaultCharactersPerSecond the rate for a language not in that map
 * @param measureWindow how far back a voice's completed requests are measured
 * @param measureSamples newest completed requests of a voice measured at most
 * @param minMeasuredRequests fewer measured requests than this and the language's rate is used
 * @param remeasureEvery how long a node keeps a voice's measured rate before measuring again
 */
@Validated
@ConfigurationProperties("tts.estimate")
public record EstimateProperties(
    @NotNull Map<String, Double> charactersPerSecond,
    double defaultCharactersPerSecond,
    @NotNull Duration measureWindow,
    @Min(1) int measureSamples,
    @Min(1) int minMeasuredRequests,
    @NotNull Duration remeasureEvery) {}
