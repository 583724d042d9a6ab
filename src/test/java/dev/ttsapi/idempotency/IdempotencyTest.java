package dev.ttsapi.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

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

  /**
   * The API node died after the submit committed and before Redis kept its answer: the claim
   * expired, and Redis knows nothing of the key (TopologyIT once saw a second row so). The retry
   * must find the request the key made, not make another.
   */
  @Test
  void a_retry_after_redis_lost_the_answer_replays_the_request_the_key_made() {
    String body = Payloads.submit("Said once, even when the node dies.", "wav");
    Response first = submit(user, "key-lost", body);
    forgetInRedis(user);

    Response retry = submit(user, "key-lost", body);

    assertThat(retry.status()).as(retry.text()).isEqualTo(200);
    assertThat(retry.json().path("request_id").asString())
        .isEqualTo(first.json().path("request_id").asString());
    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(requestRows()).isEqualTo(1);
    Response again = submit(user, "key-lost", body);
    assertThat(again.json()).as("kept in Redis again").isEqualTo(retry.json());
  }

  @Test
  void a_retry_with_another_body_after_redis_lost_the_answer_is_a_422() {
    submit(user, "key-lost-2", Payloads.submit("The first words.", "wav"));
    forgetInRedis(user);

    Response other = submit(user, "key-lost-2", Payloads.submit("Other words.", "wav"));

    assertThat(other.status()).as(other.text()).isEqualTo(422);
    assertThat(other.json().path("type").asString())
        .isEqualTo("https://tts-api.dev/problems/idempotency-key-reused");
    assertThat(requestRows()).isEqualTo(1);
  }

  @Test
  void a_key_recorded_longer_ago_than_its_ttl_makes_a_new_request() {
    String body = Payloads.submit("Yesterday's key.", "wav");
    Response first = submit(user, "key-old", body);
    ageRecords(Duration.ofHours(25));
    forgetInRedis(user);

    Response later = submit(user, "key-old", body);

    assertThat(later.status()).as(later.text()).isEqualTo(200);
    assertThat(later.json().path("request_id").asString())
        .isNotEqualTo(first.json().path("request_id").asString());
    assertThat(later.header("Idempotent-Replayed")).isNull();
    assertThat(requestRows()).isEqualTo(2);
    assertThat(recordedRequest("key-old"))
        .as("the key now names the new request")
        .isEqualTo(later.json().path("request_id").asString());
  }

  @Test
  void a_keyed_submit_with_a_callback_keeps_both_and_a_refused_one_neither() {
    String body =
        ApiClient.json(
            Map.of("text", "Call me back once.", "callback_url", "https://203.0.113.5/tts"));
    Response first = submit(user, "key-hook", body);
    forgetInRedis(user);
    submit(user, "key-hook", body);

    assertThat(first.status()).as(first.text()).isEqualTo(200);
    assertThat(recordedRequest("key-hook")).isEqualTo(first.json().path("request_id").asString());
    assertThat(
            jdbc.sql("SELECT count(*) FROM request_callbacks WHERE user_id = :user")
                .param("user", user.caller().userId())
                .query(Long.class)
                .single())
        .isEqualTo(1);
    assertThat(requestRows()).isEqualTo(1);

    Response refused =
        submit(
            user,
            "key-refused",
            ApiClient.json(
                Map.of("text", "Who speaks?", "voice_settings", Map.of("voice", "x:y"))));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(recordedKeys()).as("only the accepted key is recorded").isEqualTo(1);
  }

  @Test
  void maintenance_forgets_records_older_than_the_ttl_and_keeps_the_rest() {
    submit(user, "key-a", Payloads.submit("Old one.", "wav"));
    ageRecords(Duration.ofHours(25));
    submit(user, "key-b", Payloads.submit("New one.", "wav"));

    assertThat(cleanup.clean()).isEqualTo(1);
    assertThat(recordedKeys()).isEqualTo(1);
    assertThat(recordedRequest("key-a")).isNull();
  }

  @Autowired private ExpiredKeysCleanup cleanup;

  private void forgetInRedis(TestUser as) {
    List<String> keys = redis.sync().keys("idem:{" + as.caller().userId() + "}:*");
    assertThat(keys).as("the key's answer was in Redis").isNotEmpty();
    redis.sync().del(keys.toArray(String[]::new));
  }

  private void ageRecords(Duration by) {
    jdbc.sql("UPDATE idempotency_keys SET created_at = created_at - make_interval(secs => :s)")
        .param("s", by.toSeconds())
        .update();
  }

  private String recordedRequest(String key) {
    return jdbc.sql(
            "SELECT request_id::text FROM idempotency_keys WHERE user_id = :user AND key_hash ="
                + " encode(sha256(convert_to(:key, 'UTF8')), 'hex')")
        .param("user", user.caller().userId())
        .param("key", key)
        .query(String.class)
        .optional()
        .orElse(null);
  }

  private long recordedKeys() {
    return jdbc.sql("SELECT count(*) FROM idempotency_keys").query(Long.class).single();
  }

  private Response submit(TestUser as, String idempotencyKey, String body) {
    return api.postWithHeaders("/tts/request", as.key(), body, "Idempotency-Key", idempotencyKey);
  }

  private long requestRows() {
    return jdbc.sql("SELECT count(*) FROM requests").query(Long.class).single();
  }
}
