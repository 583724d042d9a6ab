package dev.ttsapi.ratelimit;

import dev.ttsapi.redis.Redis;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A rate-limit decision asked of Redis and not yet waited for ({@link RateLimiter#acquireLater}):
 * the caller sends its own commands meanwhile, so they share the round trip. {@link #await} gives
 * the decision, the same one {@code acquire} would have given; waiting twice asks nothing twice.
 */
public final class PendingDecision {

  private final CompletableFuture<List<Long>> answer;
  private final Function<List<Long>, Decision> decide;
  private final Function<RuntimeException, Decision> failOpen;
  private Decision decision;

  PendingDecision(
      CompletableFuture<List<Long>> answer,
      Function<List<Long>, Decision> decide,
      Function<RuntimeException, Decision> failOpen) {
    this.answer = answer;
    this.decide = decide;
    this.failOpen = failOpen;
  }

  static PendingDecision decided(Decision decision) {
    PendingDecision pending = new PendingDecision(null, null, null);
    pending.decision = decision;
    return pending;
  }

  /** Waits for Redis's answer (on the caller's thread) and decides. */
  public synchronized Decision await() {
    if (decision == null) {
      try {
        decision = decide.apply(Redis.await(answer));
      } catch (RuntimeException e) {
        decision = failOpen.apply(e);
      }
    }
    return decision;
  }
}
