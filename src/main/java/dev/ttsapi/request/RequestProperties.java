package dev.ttsapi.request;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of one request.
 *
 * @param maxTextLength longest text {@code POST /tts/request} (and each batch item, and {@code POST
 *     /tts/estimate}) accepts, in characters (code points) after normalization; for SSML the spoken
 *     characters. The streaming endpoints have limits of their own ({@code
 *     tts.openai-api.max-input-length}, {@code tts.marytts-api.max-text-length})
 * @param maxPageSize most requests one list page returns
 * @param audioCache whether stored audio is shared by all users or kept per user
 */
@Validated
@ConfigurationProperties("tts.request")
public record RequestProperties(
    @Min(1) @Max(1_000_000) int maxTextLength,
    @Min(1) @Max(1000) int maxPageSize,
    @NotNull AudioCacheScope audioCache) {}
