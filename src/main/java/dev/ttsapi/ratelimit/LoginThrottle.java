package dev.ttsapi.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ttsapi.ratelimit.RateLimitExceededException.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Guessing API keys must cost the guesser, not the database: each unknown key counts against its
 * client address ({@link RateLimiter#failedLogin}, shared by every API node), and once an address
 * is over its budget this node refuses it from memory until the budget has room again, without
 * looking any of its keys up. So a thousand wrong keys cost about the budget's worth of queries per
 * node, not a thousand.
 */
@Component
public class LoginThrottle {

  private final RateLimiter limiter;
  private final Clock clock;

  /** Addresses refused until an instant; entries outlive the longest wait (one minute). */
  private final Cache<String, Instant> refusedUntil =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(2)).build();

  LoginThrottle(RateLimiter limiter, Clock clock) {
    this.limiter = limiter;
    this.clock = clock;
  }

  /**
   * Refuses an address that is over its budget of unknown keys, before anything is looked up.
   *
   * @throws RateLimitExceededException with the seconds until it may try again
   */
  public void checkAllowed(String clientAddress) {
    Instant until = refusedUntil.getIfPresent(clientAddress);
    Instant now = clock.instant();
    if (until == null || !now.isBefore(until)) {
      return;
    }
    long seconds = Math.max(1, Duration.between(now, until).toSeconds());
    throw refusal(new Decision(false, 0, 0, seconds, seconds));
  }

  /**
   * Counts an unknown key from the address.
   *
   * @throws RateLimitExceededException if that took the address over its budget
   */
  public void failed(String clientAddress) {
    Decision decision = limiter.failedLogin(clientAddress);
    if (!decision.allowed()) {
      refusedUntil.put(clientAddress, clock.instant().plusSeconds(decision.retryAfterSeconds()));
      throw refusal(decision);
    }
  }

  private static RateLimitExceededException refusal(Decision decision) {
    return new RateLimitExceededException(
        Kind.FAILED_LOGINS,
        decision,
        "Too many calls with unknown API keys from your address; try again in "
            + decision.retryAfterSeconds()
            + " s");
  }
}
