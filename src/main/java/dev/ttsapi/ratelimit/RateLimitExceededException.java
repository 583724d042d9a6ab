package dev.ttsapi.ratelimit;

/**
 * A call over a per-minute limit, over the daily character quota, or from an address that sent too
 * many unknown API keys: a 429.
 */
public class RateLimitExceededException extends RuntimeException {

  /** Which limit refused the call. */
  public enum Kind {
    REQUESTS_PER_MINUTE,
    CHARACTERS_PER_DAY,
    FAILED_LOGINS
  }

  private final Kind kind;
  private final Decision decision;

  public RateLimitExceededException(Kind kind, Decision decision, String message) {
    super(message);
    this.kind = kind;
    this.decision = decision;
  }

  public Kind kind() {
    return kind;
  }

  public Decision decision() {
    return decision;
  }
}
