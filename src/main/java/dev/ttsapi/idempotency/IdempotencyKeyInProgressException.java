package dev.ttsapi.idempotency;

/** A call with the same key is still running: a 409, the client retries and gets its answer. */
public class IdempotencyKeyInProgressException extends RuntimeException {

  public IdempotencyKeyInProgressException() {
    super("A request with this Idempotency-Key is still being processed; retry shortly");
  }
}
