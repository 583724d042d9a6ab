package dev.ttsapi.webhook;

import java.util.Optional;
import java.util.UUID;

/**
 * Writes the body of the events about one kind of subject: requests here, batches in the batch
 * package. A delivery row names its subject (the {@code subject} column) and id; the body is made
 * at the first attempt, when the subject has ended and no longer changes, and kept for retries.
 */
public interface WebhookPayloads {

  /** The kind of subject, as the outbox trigger writes it: {@code request} or {@code batch}. */
  String subject();

  /** The document to POST about the subject, serialized as the API's JSON; empty if it is gone. */
  Optional<?> document(UUID subjectId);
}
