package dev.ttsapi.idempotency;

/** The key was used before with a different body: a 422, nothing is done. */
public class IdempotencyKeyReusedException extends RuntimeException {

  public IdempotencyKeyReusedException() {
    super(
        "This Idempotency-Key was already used with a different body; use a new key for a new"
            + " request");
  }
}
