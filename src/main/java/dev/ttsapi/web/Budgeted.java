package dev.ttsapi.web;

import dev.ttsapi.ratelimit.Budget;
import dev.ttsapi.ratelimit.Decision;
import dev.ttsapi.ratelimit.QuotaCharge;
import dev.ttsapi.ratelimit.RateLimitExceededException;
import dev.ttsapi.ratelimit.RateLimiter;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import java.util.UUID;

/**
 * The per-minute budget of the call being handled, asked of Redis only when the handler first needs
 * it. A handler that takes it as an argument sends its own Redis commands first and then calls
 * {@link #check}, so the budget and its reads share one round trip; a submission asks its budget
 * and its daily quota in one script call ({@link #checkAndCharge}). A handler without it has its
 * budget checked before it runs ({@link RateLimitInterceptor}). Such a handler must call {@code
 * check} on every way out, before it answers or throws; a call that never did (its body could not
 * be read) is charged after it ended, unchecked.
 */
public final class Budgeted {

  private static final Budgeted NOT_LIMITED = new Budgeted(null, null, null, null, null, null);

  private final RateLimiter limiter;
  private final UUID userId;
  private final String apiKey;
  private final Budget budget;
  private final HttpServletResponse response;
  private final String what;
  private boolean checked;

  Budgeted(
      RateLimiter limiter,
      UUID userId,
      String apiKey,
      Budget budget,
      HttpServletResponse response,
      String what) {
    this.limiter = limiter;
    this.userId = userId;
    this.apiKey = apiKey;
    this.budget = budget;
    this.response = response;
    this.what = what;
  }

  /** For a call no budget applies to (an admin, or a handler that needs no key). */
  static Budgeted notLimited() {
    return NOT_LIMITED;
  }

  /**
   * Asks Redis, waits for the decision, writes the {@code RateLimit-*} headers, and throws the 429
   * if the budget is spent. Checking again does nothing.
   *
   * @throws RateLimitExceededException when the call is over its budget
   */
  public void check() {
    if (limiter == null || checked) {
      return;
    }
    checked = true;
    decided(limiter.acquireLater(userId, apiKey, budget).await());
  }

  /**
   * {@link #check}, and {@code characters} charged to {@code owner}'s daily quota, in one Redis
   * round trip when they can travel together: the budget is a submission's, of the same user, and
   * not yet checked. The budget is decided first: a call over it is refused (429) with nothing
   * charged.
   *
   * @return the charge, to be kept once the submission is accepted; empty when the two could not
   *     travel together: the budget is then checked, and the caller charges the quota itself
   * @throws RateLimitExceededException over the budget, or over the quota
   */
  public Optional<QuotaCharge> checkAndCharge(UUID owner, long characters) {
    if (limiter == null || checked || budget != Budget.SUBMIT || !owner.equals(userId)) {
      check();
      return Optional.empty();
    }
    checked = true;
    RateLimiter.SubmitLimits limits = limiter.submitLimits(userId, apiKey, characters);
    decided(limits.budget());
    return Optional.of(limits.charged());
  }

  /** A call that ended without checking its budget is still taken from it (not waited for). */
  void chargeIfUnchecked() {
    if (limiter != null && !checked) {
      checked = true;
      limiter.acquireLater(userId, apiKey, budget);
    }
  }

  private void decided(Decision d) {
    RateLimitInterceptor.writeHeaders(response, d);
    if (!d.allowed()) {
      throw RateLimitInterceptor.refusal(d, what);
    }
  }
}
