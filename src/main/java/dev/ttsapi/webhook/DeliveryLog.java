package dev.ttsapi.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The deliveries of the events about one subject (a request, a batch), each with its attempts: what
 * {@code GET /tts/request/{id}/deliveries} and {@code GET /tts/batches/{id}/deliveries} show.
 */
@Component
public class DeliveryLog {

  /**
   * One event's delivery.
   *
   * @param state {@code pending} (due again at {@code nextAttemptAt}), {@code delivered}, or {@code
   *     failed} (given up after {@code tts.webhook.retry-for})
   */
  public record Delivery(
      UUID deliveryId,
      String event,
      String url,
      String state,
      Instant createdAt,
      Instant nextAttemptAt,
      Instant endedAt,
      List<Attempt> attempts) {}

  /**
   * One attempt.
   *
   * @param outcome null while in flight; {@code delivered}, {@code http_error}, {@code timeout},
   *     {@code network_error}, {@code refused} or {@code lost} after
   */
  public record Attempt(
      int attempt,
      Instant startedAt,
      String outcome,
      Integer statusCode,
      Double latencyMs,
      String error) {}

  /** The log of one subject's events, oldest first. */
  public record Deliveries(UUID subjectId, List<Delivery> deliveries) {}

  private final DeliveryRepository repository;

  DeliveryLog(DeliveryRepository repository) {
    this.repository = repository;
  }

  /** The deliveries of {@code subjectId}'s events; ownership is the caller's to check. */
  public Deliveries of(UUID subjectId) {
    return new Deliveries(subjectId, repository.log(subjectId));
  }
}
