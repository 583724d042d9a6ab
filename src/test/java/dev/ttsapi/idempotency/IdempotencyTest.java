package dev.ttsapi.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Idempotency-Key} on POST /tts/request: one request per key and body, the first answer
 * replayed, a different body refused, concurrent calls folded into one, keys scoped per user.
 */
class IdempotencyTest extends IntegrationTest {

  private TestUser user;

  @BeforeEach
  void user() {
    user = newUser("idempotent-user", Caller.Role.USER);
    worker().stop(); // the answer, not the speech, is what is tested
  }

  @Test
  void the_same_key_and_body_returns_the_first_answer_and_creates_one_request() {
    String body = Payloads.submit("Say this once.", "wav");

    Response first = submit(user, "key-1", body);
    Response second = submit(user, "key-1", body);

    assertThat(first.status()).as(first.text()).isEqualTo(200);
    assertThat(second.status()).as(second.text()).isEqualTo(200);
    assertThat(second.json().path("request_id").asString())
        .isEqualTo(first.json().path("request_id").asString());
    assertThat(second.json()).isEqualTo(first.json());
    assertThat(first.header("Idempotent-Replayed")).isNull();
    assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(requestRows()).isEqualTo(1);
  }

  @Test
  void the_same_body_with_whitespace_of_its_own_counts_as_the_same_body() {
    Response first = submit(user, "key-ws", "{\"text\":\"Same words.\"}");
    Response second = submit(user, "key-ws", "{ \"text\" :  \"Same words.\" }\n");

    assertThat(second.json().path("request_id").asString())
        .isEqualTo(first.json().path("request_id").asString());
  }

  @Test
  void the_same_key_with_a_different_body_is_a_422_problem() {
    submit(user, "key-2", Payloads.submit("First words.", "wav"));

    Response other = submit(user, "key-2", Payloads.submit("Other words.", "wav"));

    assertThat(other.status()).isEqualTo(422);
    assertThat(other.json().path("type").asString())
        .isEqualTo("https://tts-api.dev/problems/idempotency-key-reused");
    assertThat(requestRows()).isEqualTo(1);
  }

  @Test
  void concurrent_calls_with_one_key_create_one_request() throws Exception {
    String body = Payloads.submit("Many hands, one request.", "wav");
    int calls = 16;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Response>> responses = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(calls)) {
      for (int i = 0; i < calls; i++) {
        responses.add(
            pool.submit(
                () -> {
                  start.await();
                  return submit(user, "key-race", body);
                }));
      }
      start.countDown();
      List<String> ids = new ArrayList<>();
      for (Future<Response> response : responses) {
        Response r = response.get();
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        ids.add(r.json().path("request_id").asString());
      }
      assertThat(ids).containsOnly(ids.getFirst());
    }
    assertThat(requestRows()).isEqualTo(1);
  }

  @Test
  void keys_are_scoped_per_user() {
    TestUser other = newUser("idempotent-other", Caller.Role.USER);
    String body = Payloads.submit("Shared key, separate users.", "wav");

    Response mine = submit(user, "shared-key", body);
    Response theirs = submit(other, "shared-key", body);

    assertThat(theirs.status()).isEqualTo(200);
    assertThat(theirs.json().path("request_id").asString())
        .isNotEqualTo(mine.json().path("request_id").asString());
    assertThat(requestRows()).isEqualTo(2);
  }

  @Test
  void a_refused_first_call_does_not_hold_the_key() {
    String bad =
        ApiClient.json(Map.of("text", "Who speaks?", "voice_settings", Map.of("voice", "x:y")));

    assertThat(submit(user, "key-retry", bad).status()).isEqualTo(400);
    assertThat(submit(user, "key-retry", bad).status())
        .as("the retry runs again instead of replaying or refusing")
        .isEqualTo(400);
    Response good = submit(user, "key-retry-2", Payloads.submit("Fixed.", "wav"));
    assertThat(good.status()).isEqualTo(200);
  }

  @Test
  void a_key_that_is_not_printable_ascii_is_a_400() {
    Response response = submit(user, "k".repeat(256), Payloads.submit("Too long a key.", "wav"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(requestRows()).isZero();
  }

  @Test
  void without_a_key_every_call_creates_a_request() {
    String body = Payloads.submit("No key.", "wav");
    api.post("/tts/request", user.key(), body);
    api.post("/tts/request", user.key(), body);

    assertThat(requestRows()).isEqualTo(2);
  }

  private Response submit(TestUser as, String idempotencyKey, String body) {
    return api.postWithHeaders("/tts/request", as.key(), body, "Idempotency-Key", idempotencyKey);
  }

  private long requestRows() {
    return jdbc.sql("SELECT count(*) FROM requests").query(Long.class).single();
  }
}
