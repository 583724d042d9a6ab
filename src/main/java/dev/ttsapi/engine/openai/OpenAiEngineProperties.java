package dev.ttsapi.engine.openai;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * An OpenAI-compatible speech endpoint ({@code POST <baseUrl>/audio/speech}): OpenAI itself, or a
 * self-hosted server that copies it (Kokoro-FastAPI, openedai-speech). The engine exists only when
 * {@code baseUrl} or {@code apiKey} is set; defaults live in application.yaml.
 *
 * @param baseUrl the API root including {@code /v1}; blank = OpenAI's
 * @param apiKey the bearer key ({@code OPENAI_API_KEY}); self-hosted servers often need none
 * @param model the speech model ({@code gpt-4o-mini-tts}, {@code tts-1}, {@code kokoro})
 * @param voices the server's voices as {@code name:gender} ({@code alloy:neutral}); a name alone is
 *     neutral
 * @param language the BCP-47 tag the voices are listed under
 * @param sampleRate the sample rate of the server's {@code response_format=pcm} (24 kHz at OpenAI)
 * @param timeout longest wait for one HTTP call
 * @param maxRetries retries of 408, 409, 429 and 5xx answers by the SDK
 */
@Validated
@ConfigurationProperties("tts.engines.openai")
public record OpenAiEngineProperties(
    String baseUrl,
    String apiKey,
    @NotBlank String model,
    @NotEmpty List<String> voices,
    @NotBlank String language,
    @Min(8000) int sampleRate,
    @NotNull Duration timeout,
    @Min(0) int maxRetries) {

  public boolean enabled() {
    return hasText(baseUrl) || hasText(apiKey);
  }

  static boolean hasText(String s) {
    return s != null && !s.isBlank();
  }
}
