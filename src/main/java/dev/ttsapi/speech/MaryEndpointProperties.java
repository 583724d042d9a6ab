package dev.ttsapi.speech;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The MaryTTS-compatible {@code /process} ({@link MaryTtsController}); its audio format and sample
 * rate follow {@code tts.openai-api}. Defaults live in {@code application.yaml}.
 *
 * @param maxTextLength longest {@code INPUT_TEXT} accepted, in characters after normalization.
 *     {@code /process} answers the whole file at once and holds its PCM in memory while it is made
 *     (about 5 MB a minute at 24 kHz), so it keeps a short limit; long documents go to {@code POST
 *     /tts/request}
 */
@Validated
@ConfigurationProperties("tts.marytts-api")
public record MaryEndpointProperties(@Min(1) @Max(100_000) int maxTextLength) {}
