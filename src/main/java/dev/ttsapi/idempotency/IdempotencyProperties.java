package dev.ttsapi.idempotency;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code Idempotency-Key} on {@code POST /tts/request}.
 *
 * @param ttl how long a key remembers its first answer
 * @param waitTimeout how long a call waits for a concurrent call with the same key to finish before
 *     it answers 409 (the client retries later and gets the first answer)
 */
@Validated
@ConfigurationProperties("tts.idempotency")
public record IdempotencyProperties(@NotNull Duration ttl, @NotNull Duration waitTimeout) {}
