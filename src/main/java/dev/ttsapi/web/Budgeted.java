package dev.ttsapi.web;

import dev.ttsapi.ratelimit.Decision;
import dev.ttsapi.ratelimit.PendingDecision;
import dev.ttsapi.ratelimit.RateLimitExceededException;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The per-minute budget of the call being handled, asked of Redis before the handler ran but not
 * waited for. A handler that takes it as an argument sends its own Redis commands first and then
 * calls {@link #check}, so the budget and its reads share one round trip; a handler without it has
 * its budget checked before it runs ({@link RateLimitInterceptor}). Such a handler must call {@code
 * check} on every way out, before it answers or throws.
 */
public final class Budgeted {

  private static final Budgeted NOT_LIMITED = new Budgeted(null, null, null);

  private final PendingDecision decision;
  private final HttpServletResponse response;
  private final String what;
  private boolean checked;

  Budgeted(PendingDecision decision, HttpServletResponse response, String what) {
    this.decision = decision;
    this.response = response;
    this.what = what;
  }

  /** For a call no budget applies to (an admin, or a handler that needs no key). */
  static Budgeted notLimited() {
    return NOT_LIMITED;
  }

  /**
   * Waits for the decision, writes the {@code RateLimit-*} headers, and throws the 429 if the
   * budget is spent. Checking again does nothing.
   *
   * @throws RateLimitExceededException when the call is over its budget
   */
  public void check() {
    if (decision == null || checked) {
      return;
    }
    checked = true;
    Decision d = decision.await();
    RateLimitInterceptor.writeHeaders(response, d);
    if (!d.allowed()) {
      throw RateLimitInterceptor.refusal(d, what);
    }
  }
}
