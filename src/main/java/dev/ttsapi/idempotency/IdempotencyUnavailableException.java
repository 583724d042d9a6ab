package dev.ttsapi.idempotency;

/**
 * The answers of {@code Idempotency-Key}s live in Redis, and Redis could not be asked: nothing was
 * run, so the client may safely send the same call again (a 503 with Retry-After). Running the call
 * without the key's protection instead could accept it twice.
 */
public class IdempotencyUnavailableException extends RuntimeException {

  public IdempotencyUnavailableException(Throwable cause) {
    super(
        "Idempotency-Key answers cannot be checked right now (Redis is unreachable); nothing was"
            + " accepted, retry shortly",
        cause);
  }
}
