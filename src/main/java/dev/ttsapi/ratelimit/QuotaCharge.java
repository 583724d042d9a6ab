package dev.ttsapi.ratelimit;

import java.util.UUID;

/**
 * Characters charged to a user's daily quota for work that may still be refused: closing the charge
 * gives them back unless {@link #keep} was called first. So every way out of a submission that did
 * not accept the work (an exception, an early return) refunds, without a catch block at each.
 *
 * <pre>{@code
 * try (QuotaCharge charge = limiter.charge(user, characters)) {
 *   accept(work);
 *   charge.keep();
 * }
 * }</pre>
 */
public final class QuotaCharge implements AutoCloseable {

  private final RateLimiter limiter;
  private final UUID userId;
  private final long characters;
  private boolean kept;

  QuotaCharge(RateLimiter limiter, UUID userId, long characters) {
    this.limiter = limiter;
    this.userId = userId;
    this.characters = characters;
  }

  /** The work was accepted: the characters stay charged. */
  public void keep() {
    kept = true;
  }

  @Override
  public void close() {
    if (!kept) {
      limiter.refundCharacters(userId, characters);
    }
  }
}
