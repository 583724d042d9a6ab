package dev.ttsapi.web;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.ratelimit.Budget;
import dev.ttsapi.ratelimit.Decision;
import dev.ttsapi.ratelimit.RateLimitExceededException;
import dev.ttsapi.ratelimit.RateLimitExceededException.Kind;
import dev.ttsapi.ratelimit.RateLimiter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Takes each call of a handler that needs a user's key ({@link Access#KEY}: the {@code /tts} and
 * {@code /v1} API, not admin calls) from its user's per-minute budget: reads (status polls, audio
 * downloads) from the poll budget, everything else (and GETs marked {@link SubmitBudget}, which
 * synthesize) from the submit budget. Runs after {@link ApiKeyInterceptor}. Every answer, allowed
 * or refused, carries {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code
 * RateLimit-Reset}; a refusal is a 429 with {@code Retry-After}. A handler that takes a {@link
 * Budgeted} argument is let in before its budget is asked and checks it itself, after sending its
 * own Redis commands (or with its quota, in one script call), so they share the round trip.
 */
class RateLimitInterceptor implements HandlerInterceptor {

  static final String BUDGET_ATTRIBUTE = RateLimitInterceptor.class.getName() + ".budget";

  private final RateLimiter limiter;

  RateLimitInterceptor(RateLimiter limiter) {
    this.limiter = limiter;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (request.getDispatcherType() == DispatcherType.ASYNC) {
      // The end of a stream (GET /tts/events) comes back as an async dispatch of the same
      // request: it was checked and charged when it began.
      return true;
    }
    if (Access.of(handler) != Access.KEY
        || !(request.getAttribute(ApiKeyInterceptor.CALLER_ATTRIBUTE) instanceof Caller caller)) {
      return true;
    }
    boolean read = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
    Budget budget = read && !Access.submitBudget(handler) ? Budget.POLL : Budget.SUBMIT;
    String key = ApiKeyInterceptor.key(request, handler).orElse(null);
    String what = budget == Budget.POLL ? " reads" : " requests";
    if (Access.checksItsBudget(handler)) {
      // asked when the handler first needs it, with its own commands: one round trip for all
      request.setAttribute(
          BUDGET_ATTRIBUTE, new Budgeted(limiter, caller.userId(), key, budget, response, what));
      return true;
    }
    Decision decision = limiter.acquireLater(caller.userId(), key, budget).await();
    writeHeaders(response, decision);
    if (!decision.allowed()) {
      throw refusal(decision, what);
    }
    return true;
  }

  /**
   * Every call is taken from its budget: one whose handler never checked it (its body could not be
   * read, so the handler never ran) is charged now.
   */
  @Override
  public void afterCompletion(
      HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
    if (request.getAttribute(BUDGET_ATTRIBUTE) instanceof Budgeted budgeted) {
      budgeted.chargeIfUnchecked();
    }
  }

  static RateLimitExceededException refusal(Decision decision, String what) {
    return new RateLimitExceededException(
        Kind.REQUESTS_PER_MINUTE,
        decision,
        "Rate limit of "
            + decision.limit()
            + what
            + " per minute reached; retry in "
            + decision.retryAfterSeconds()
            + " s");
  }

  static void writeHeaders(HttpServletResponse response, Decision decision) {
    response.setHeader("RateLimit-Limit", Long.toString(decision.limit()));
    response.setHeader("RateLimit-Remaining", Long.toString(decision.remaining()));
    response.setHeader("RateLimit-Reset", Long.toString(decision.resetSeconds()));
  }
}
