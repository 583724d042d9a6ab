package dev.ttsapi.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Delivery metrics: {@code tts_webhook_attempts_total{outcome}} and the latency of attempts, {@code
 * tts_webhook_attempt_duration_seconds{outcome}} (buckets in application.yaml), and {@code
 * tts_webhook_deliveries_total{result}} for deliveries that ended ({@code delivered} or {@code
 * failed}, given up). Every label has a fixed set of values.
 */
@Component
class WebhookMetrics {

  private final MeterRegistry registry;

  WebhookMetrics(MeterRegistry registry) {
    this.registry = registry;
    // Counters an alert may read exist from the start, at 0.
    for (Outcome outcome : Outcome.values()) {
      attempts(outcome);
    }
    ended("delivered");
    ended("failed");
  }

  void attempted(Outcome outcome, double latencyMs) {
    attempts(outcome).increment();
    Timer.builder("tts.webhook.attempt.duration")
        .description("Time of one webhook delivery attempt, connection to answer")
        .tag("outcome", outcome.wireName())
        .register(registry)
        .record(Duration.ofNanos((long) (latencyMs * 1_000_000)));
  }

  void delivered() {
    ended("delivered").increment();
  }

  void gaveUp() {
    ended("failed").increment();
  }

  private Counter attempts(Outcome outcome) {
    return Counter.builder("tts.webhook.attempts")
        .description("Webhook delivery attempts, by outcome")
        .tag("outcome", outcome.wireName())
        .register(registry);
  }

  private Counter ended(String result) {
    return Counter.builder("tts.webhook.deliveries")
        .description("Webhook deliveries that ended: delivered, or failed after every retry")
        .tag("result", result)
        .register(registry);
  }
}
