package dev.ttsapi.engine.gemini;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Gemini TTS. The engine exists only when {@code apiKey} is set; defaults live in application.yaml.
 *
 * @param apiKey Gemini API key (environment variable {@code GEMINI_API_KEY}); blank = no engine
 * @param model the TTS model, named in the request path
 * @param baseUrl the API's address; blank = Google's ({@code https://generativelanguage...}); a
 *     proxy or a test server otherwise
 * @param language the BCP-47 tag the voices are listed under. Gemini's voices speak whatever
 *     language the text is in; the catalog holds one language per voice, so this chooses which
 *     language-only requests may land on Gemini. Any language is reachable with an explicit voice
 *     id ({@code gemini:Kore})
 * @param timeout longest wait for one HTTP call
 * @param maxAttempts HTTP calls for one chunk, counting the first, before it fails
 * @param backoffBase the wait before the second attempt after a 5xx, a network error or an answer
 *     without audio; it doubles per attempt, with random jitter (half to all of it)
 * @param backoffMax the longest such wait
 * @param maxRetryDelay the longest wait a 429's {@code RetryInfo.retryDelay} may ask for; a longer
 *     one fails the chunk instead of holding a worker
 * @param dailyQuotaPause after a 429 for an exhausted per-day quota, calls fail at once for this
 *     long without reaching Gemini (no retry storm); then one call looks again
 * @param circuitBreaker when to stop calling a failing Gemini
 * @param concurrency calls in flight towards Gemini, adapted to its quota
 */
@Validated
@ConfigurationProperties("tts.engines.gemini")
public record GeminiProperties(
    String apiKey,
    @NotBlank String model,
    String baseUrl,
    @NotBlank String language,
    @NotNull Duration timeout,
    @Min(1) int maxAttempts,
    @NotNull Duration backoffBase,
    @NotNull Duration backoffMax,
    @NotNull Duration maxRetryDelay,
    @NotNull Duration dailyQuotaPause,
    @Valid @NotNull CircuitBreaker circuitBreaker,
    @Valid @NotNull Concurrency concurrency) {

  /**
   * @param failureThreshold consecutive failed calls (5xx, network errors, answers without audio)
   *     that open the breaker; 429s and other 4xx do not count
   * @param openDuration how long an open breaker fails calls at once before one call tries again
   */
  public record CircuitBreaker(@Min(1) int failureThreshold, @NotNull Duration openDuration) {}

  /**
   * AIMD: the limit rises by one per limit's worth of successful calls and halves on a 429.
   *
   * @param initial calls in flight allowed at start
   * @param max the most calls in flight ever allowed
   */
  public record Concurrency(@Min(1) int initial, @Min(1) int max) {}

  public boolean enabled() {
    return apiKey != null && !apiKey.isBlank();
  }
}
