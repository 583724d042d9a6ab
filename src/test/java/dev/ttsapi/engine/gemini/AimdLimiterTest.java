package dev.ttsapi.engine.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AimdLimiterTest {

  @Test
  void increases_by_one_per_limits_worth_of_successes() {
    AimdLimiter limiter = new AimdLimiter(4, 16);

    for (int i = 0; i < 4; i++) {
      limiter.onSuccess();
    }
    assertThat(limiter.limit()).isEqualTo(5);
  }

  @Test
  void halves_on_overload_but_never_below_one() {
    AimdLimiter limiter = new AimdLimiter(8, 16);

    limiter.onOverload();
    assertThat(limiter.limit()).isEqualTo(4);
    limiter.onOverload();
    limiter.onOverload();
    limiter.onOverload();
    assertThat(limiter.limit()).isEqualTo(1);
  }

  @Test
  void never_exceeds_the_maximum() {
    AimdLimiter limiter = new AimdLimiter(2, 3);

    for (int i = 0; i < 100; i++) {
      limiter.onSuccess();
    }
    assertThat(limiter.limit()).isEqualTo(3);
  }

  @Test
  void callers_beyond_the_limit_wait_for_a_free_slot() throws Exception {
    AimdLimiter limiter = new AimdLimiter(1, 4);
    assertThat(limiter.tryAcquire(Duration.ZERO)).isTrue();
    assertThat(limiter.tryAcquire(Duration.ZERO)).isFalse();

    CompletableFuture<Boolean> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return limiter.tryAcquire(Duration.ofSeconds(10));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    limiter.release();

    assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(limiter.inFlight()).isEqualTo(1);
  }

  @Test
  void an_overload_lets_fewer_calls_in() throws Exception {
    AimdLimiter limiter = new AimdLimiter(4, 4);
    for (int i = 0; i < 2; i++) {
      assertThat(limiter.tryAcquire(Duration.ZERO)).isTrue();
    }

    limiter.onOverload();

    assertThat(limiter.tryAcquire(Duration.ZERO)).isFalse();
  }

  @Test
  void rejects_impossible_bounds() {
    assertThatThrownBy(() -> new AimdLimiter(0, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AimdLimiter(5, 4)).isInstanceOf(IllegalArgumentException.class);
  }
}
