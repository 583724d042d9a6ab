package dev.ttsapi.security;

import static dev.ttsapi.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.LowLimitsIntegrationTest;
import dev.ttsapi.support.StatementCounting;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Guessing API keys costs the guesser, not the database: 1,000 random keys from one address cost
 * about the address's budget of queries (they used to cost one each, and were never refused), then
 * 429 with Retry-After. Another address is not affected, and a wrong key sent again costs nothing.
 */
// Ten failed logins a minute per address (LowLimitsIntegrationTest.FAILED_LOGINS_PER_MINUTE).
class KeyGuessingTest extends LowLimitsIntegrationTest {

  @Test
  void a_thousand_wrong_keys_cost_a_bounded_handful_of_queries_then_429() {
    String attacker = "198.51.100.7";
    int queries = 0;
    int refused = 0;
    ApiClient.Response last = null;
    for (int i = 0; i < 1000; i++) {
      String path = "/tts/requests?limit=" + (i + 1);
      last = api.get(path, "tts_" + UUID.randomUUID(), "X-Forwarded-For", attacker);
      queries += StatementCounting.lastCount(path);
      if (last.status() == 429) {
        refused++;
      } else {
        assertThat(last.status()).isEqualTo(401);
      }
    }

    assertThat(queries).isLessThanOrEqualTo(12);
    assertThat(refused).isGreaterThanOrEqualTo(985);
    assertProblem(last, 429, "login-throttled");
    assertThat(Long.parseLong(last.header("Retry-After"))).isBetween(1L, 60L);

    TestUser user = newUser("neighbour", Caller.Role.USER);
    ApiClient.Response elsewhere =
        api.get("/tts/requests", user.key(), "X-Forwarded-For", "198.51.100.8");
    assertThat(elsewhere.status()).isEqualTo(200);
  }

  @Test
  void a_wrong_key_sent_again_costs_no_query() {
    String wrong = "tts_" + UUID.randomUUID();
    int first = queries(wrong, "/tts/requests?limit=1");
    int again = 0;
    for (int i = 2; i <= 5; i++) {
      again += queries(wrong, "/tts/requests?limit=" + i);
    }

    assertThat(first).isGreaterThan(0);
    assertThat(again).isZero();
  }

  private int queries(String key, String path) {
    // each call from its own address, so the throttle plays no part
    ApiClient.Response answer =
        api.get(path, key, "X-Forwarded-For", "203.0.113." + path.substring(path.length() - 1));
    assertProblem(answer, 401, "unauthenticated");
    return StatementCounting.lastCount(path);
  }
}
