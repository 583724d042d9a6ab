package dev.ttsapi.ratelimit;

/**
 * The rate limiter's answer for one call, with what the {@code RateLimit-*} headers report.
 *
 * @param allowed whether the call may go on
 * @param limit calls allowed per minute
 * @param remaining calls left now
 * @param resetSeconds seconds until the budget is full again
 * @param retryAfterSeconds when refused, seconds until one more call is allowed; 0 otherwise
 */
public record Decision(
    boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {

  static Decision unlimited(long limit) {
    return new Decision(true, limit, limit, 0, 0);
  }
}
