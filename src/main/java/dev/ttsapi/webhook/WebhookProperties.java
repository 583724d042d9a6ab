package dev.ttsapi.webhook;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Webhooks: where the service may call, how long it waits, and how long it keeps trying.
 *
 * @param allowNetworks CIDR ranges a callback URL may reach even though they are loopback, private
 *     or otherwise internal (refused by default, against SSRF); for a receiver on the operator's
 *     own network, or a test's on 127.0.0.1
 * @param connectTimeout longest wait for a receiver to accept the connection
 * @param timeout longest wait for one whole attempt, connection to answer
 * @param lease how long a claimed delivery belongs to its worker: one that dies mid-delivery leaves
 *     it to another once this has passed; longer than {@code timeout}
 * @param retryFor how long after the event a delivery is retried before it is given up
 * @param backoffBase wait after the first failed attempt; it doubles with each further failure
 * @param backoffMax longest wait between two attempts
 * @param pollInterval how often a worker looks for due deliveries
 * @param concurrency deliveries one worker makes at once
 * @param secretRotationGrace how long a rotated-out signing secret keeps signing beside the new one
 * @param keepLogFor how long ended deliveries and their attempts are kept
 * @param maxUrlLength longest callback URL accepted, in characters
 */
@Validated
@ConfigurationProperties("tts.webhook")
public record WebhookProperties(
    @NotNull List<String> allowNetworks,
    @NotNull Duration connectTimeout,
    @NotNull Duration timeout,
    @NotNull Duration lease,
    @NotNull Duration retryFor,
    @NotNull Duration backoffBase,
    @NotNull Duration backoffMax,
    @NotNull Duration pollInterval,
    @Min(1) @Max(1000) int concurrency,
    @NotNull Duration secretRotationGrace,
    @NotNull Duration keepLogFor,
    @Min(16) @Max(8192) int maxUrlLength) {

  @AssertTrue(message = "tts.webhook.lease must be longer than tts.webhook.timeout")
  boolean isLeaseLongerThanAnAttempt() {
    return lease == null || timeout == null || lease.compareTo(timeout) > 0;
  }
}
