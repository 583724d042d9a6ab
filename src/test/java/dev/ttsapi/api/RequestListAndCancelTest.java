package dev.ttsapi.api;

import static dev.ttsapi.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /tts/requests} pages a user's requests newest first by keyset cursor; {@code DELETE
 * /tts/request/{id}} withdraws a request that is still queued, and nothing else.
 */
class RequestListAndCancelTest extends IntegrationTest {

  private static final String PROBLEMS = "https://tts-api.dev/problems/";
  private static final JsonMapper STRICT_JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  @Test
  void pages_of_two_walk_five_requests_newest_first_without_duplicates_or_gaps() {
    TestUser user = newUser("pager", Caller.Role.USER);
    TestUser other = newUser("other", Caller.Role.USER);
    worker().stop();
    try {
      List<String> submitted = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        submitted.add(submit(user, "Request number " + i + "."));
      }
      String othersRequest = submit(other, "Not yours.");

      JsonNode first = page(user, "/tts/requests?limit=2");
      JsonNode second = page(user, "/tts/requests?limit=2&cursor=" + cursor(first));
      JsonNode third = page(user, "/tts/requests?limit=2&cursor=" + cursor(second));

      assertThat(ids(first)).hasSize(2);
      assertThat(ids(second)).hasSize(2);
      assertThat(ids(third)).hasSize(1);
      assertThat(third.has("next_cursor")).as(third.toString()).isFalse();
      List<String> walked = new ArrayList<>();
      walked.addAll(ids(first));
      walked.addAll(ids(second));
      walked.addAll(ids(third));
      assertThat(walked).containsExactlyElementsOf(submitted.reversed());
      assertThat(walked).doesNotContain(othersRequest);
      assertThat(first.path("items").path(0).path("status").asString()).isEqualTo("queued");
      assertThat(first.path("items").path(0).path("links").path("status").asString())
          .isEqualTo("/tts/status/" + submitted.getLast());
    } finally {
      worker().start();
    }
  }

  @Test
  void a_page_that_holds_everything_has_no_next_cursor() {
    TestUser user = newUser("few", Caller.Role.USER);
    worker().stop();
    try {
      submit(user, "One.");
      submit(user, "Two.");

      JsonNode exact = page(user, "/tts/requests?limit=2");
      JsonNode empty = page(newUser("nobody", Caller.Role.USER), "/tts/requests");

      assertThat(ids(exact)).hasSize(2);
      assertThat(exact.has("next_cursor")).isFalse();
      assertThat(ids(empty)).isEmpty();
      assertThat(empty.has("next_cursor")).isFalse();
    } finally {
      worker().start();
    }
  }

  @Test
  void status_filter_lists_only_requests_in_that_status() {
    TestUser user = newUser("filter", Caller.Role.USER);
    worker().stop();
    try {
      String kept1 = submit(user, "First.");
      String cancelled = submit(user, "Second.");
      String kept2 = submit(user, "Third.");
      assertThat(api.delete("/tts/request/" + cancelled, user.key()).status()).isEqualTo(200);

      assertThat(ids(page(user, "/tts/requests?status=cancelled"))).containsExactly(cancelled);
      assertThat(ids(page(user, "/tts/requests?status=queued"))).containsExactly(kept2, kept1);
      assertThat(ids(page(user, "/tts/requests?status=completed"))).isEmpty();
      assertThat(
              ids(
                  page(
                      user,
                      "/tts/requests?status=queued&limit=1&cursor="
                          + cursor(page(user, "/tts/requests?status=queued&limit=1")))))
          .containsExactly(kept1);
    } finally {
      worker().start();
    }
  }

  @Test
  void unknown_status_filter_is_a_400_problem() {
    TestUser user = newUser("filter", Caller.Role.USER);

    JsonNode problem =
        assertProblem(api.get("/tts/requests?status=lost", user.key()), 400, "invalid-request");
    assertThat(problem.path("errors").path(0).path("field").asString()).isEqualTo("status");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bogus", "not-a-cursor!", "%25%25%25"})
  void a_cursor_this_service_did_not_give_out_is_a_400_problem(String cursor) {
    TestUser user = newUser("cursor", Caller.Role.USER);

    assertProblem(api.get("/tts/requests?cursor=" + cursor, user.key()), 400, "invalid-request");
  }

  @Test
  void a_well_encoded_cursor_around_something_other_than_a_request_id_is_a_400_problem() {
    TestUser user = newUser("cursor", Caller.Role.USER);
    String notAnId =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));

    assertProblem(api.get("/tts/requests?cursor=" + notAnId, user.key()), 400, "invalid-request");
  }

  @Test
  void limit_below_one_is_a_400_problem() {
    TestUser user = newUser("limits", Caller.Role.USER);

    JsonNode problem =
        assertProblem(api.get("/tts/requests?limit=0", user.key()), 400, "invalid-request");
    assertThat(problem.path("errors").path(0).path("field").asString()).isEqualTo("limit");
  }

  @Test
  void limit_above_the_maximum_page_size_is_capped_at_100() {
    TestUser user = newUser("many", Caller.Role.USER);
    worker().stop();
    try {
      for (int i = 0; i < 101; i++) {
        submit(user, "Request " + i + ".");
      }

      JsonNode first = page(user, "/tts/requests?limit=1000");
      JsonNode rest = page(user, "/tts/requests?limit=1000&cursor=" + cursor(first));

      assertThat(ids(first)).hasSize(100);
      assertThat(ids(rest)).hasSize(1);
      assertThat(rest.has("next_cursor")).isFalse();
    } finally {
      worker().start();
    }
  }

  @Test
  void cancelling_a_queued_request_stops_it_for_good() {
    TestUser user = newUser("canceller", Caller.Role.USER);
    String id;
    worker().stop();
    try {
      id = submit(user, "Never mind.");

      Response cancelled = api.delete("/tts/request/" + id, user.key());

      assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
      assertThat(cancelled.json().path("request_id").asString()).isEqualTo(id);
      assertThat(cancelled.json().path("status").asString()).isEqualTo("cancelled");
      assertThat(status(user, id)).isEqualTo("cancelled");
      assertThat(events(id)).containsExactly("queued", "cancelled");
    } finally {
      worker().start();
    }

    // The worker reads the entry, finds the request no longer queued and drops it.
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> queue.depths().values().stream().allMatch(depth -> depth == 0));
    assertThat(status(user, id)).isEqualTo("cancelled");
    assertThat(events(id)).containsExactly("queued", "cancelled");
    assertThat(
            jdbc.sql("SELECT attempt FROM requests WHERE id = :id")
                .param("id", UUID.fromString(id))
                .query(Integer.class)
                .single())
        .isZero();
    assertConflict(api.get("/tts/audio/" + id, user.key()), "cancelled");
  }

  @Test
  void a_cancelled_request_is_cancelled_in_postgresql_even_when_redis_forgets_its_status() {
    TestUser user = newUser("canceller", Caller.Role.USER);
    worker().stop();
    try {
      String id = submit(user, "Forget me.");
      assertThat(api.delete("/tts/request/" + id, user.key()).status()).isEqualTo(200);

      redis.sync().del("tts_status:" + id);

      assertThat(status(user, id)).isEqualTo("cancelled");
    } finally {
      worker().start();
    }
  }

  @Test
  void cancelling_a_completed_request_is_a_409_problem_naming_its_status() {
    TestUser user = newUser("late", Caller.Role.USER);
    String id = submit(user, "Too late.");
    awaitStatus(user.key(), id, "completed");

    Response response = api.delete("/tts/request/" + id, user.key());

    assertConflict(response, "completed");
    assertThat(status(user, id)).isEqualTo("completed");
    assertThat(api.get("/tts/audio/" + id, user.key()).status()).isEqualTo(200);
    assertThat(events(id)).doesNotContain("cancelled");
  }

  @Test
  void cancelling_twice_is_a_409_problem_naming_cancelled() {
    TestUser user = newUser("twice", Caller.Role.USER);
    worker().stop();
    try {
      String id = submit(user, "Twice.");
      assertThat(api.delete("/tts/request/" + id, user.key()).status()).isEqualTo(200);

      Response again = api.delete("/tts/request/" + id, user.key());

      assertConflict(again, "cancelled");
      assertThat(events(id)).containsExactly("queued", "cancelled");
    } finally {
      worker().start();
    }
  }

  /**
   * RFC 9457 §3.1.3: {@code status} is the HTTP status code. The request's own status must not take
   * that member too: a JSON object with two {@code status} members is read differently by different
   * parsers, and strict ones reject it.
   */
  @Test
  void conflict_problem_has_one_status_member_and_it_is_the_http_status_code() {
    TestUser user = newUser("strict", Caller.Role.USER);
    worker().stop();
    try {
      String id = submit(user, "Strict parsers.");
      assertThat(api.delete("/tts/request/" + id, user.key()).status()).isEqualTo(200);

      Response again = api.delete("/tts/request/" + id, user.key());

      assertThat(again.status()).isEqualTo(409);
      assertThatCode(() -> STRICT_JSON.readTree(again.body()))
          .as(again.text())
          .doesNotThrowAnyException();
      assertThat(STRICT_JSON.readTree(again.body()).path("status").isNumber()).isTrue();
    } finally {
      worker().start();
    }
  }

  private String submit(TestUser user, String text) {
    Response response = api.post("/tts/request", user.key(), Payloads.submit(text, "wav"));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("request_id").asString();
  }

  private String status(TestUser user, String id) {
    Response response = api.get("/tts/status/" + id, user.key());
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("status").asString();
  }

  private JsonNode page(TestUser user, String path) {
    Response response = api.get(path, user.key());
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json();
  }

  private static String cursor(JsonNode page) {
    String cursor = page.path("next_cursor").asString();
    assertThat(cursor).as(page.toString()).isNotBlank();
    return cursor;
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    for (JsonNode item : page.path("items")) {
      ids.add(item.path("request_id").asString());
    }
    return ids;
  }

  private List<String> events(String id) {
    return jdbc.sql("SELECT event FROM logs WHERE request_id = :id ORDER BY id")
        .param("id", UUID.fromString(id))
        .query(String.class)
        .list();
  }

  /**
   * A 409 problem that names the request's status in {@code request_status} ({@code status} is the
   * HTTP code; see {@link #conflict_problem_has_one_status_member_and_it_is_the_http_status_code}).
   */
  private static void assertConflict(Response response, String requestStatus) {
    assertThat(response.status()).as(response.text()).isEqualTo(409);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.path("type").asString()).isEqualTo(PROBLEMS + "request-state-conflict");
    assertThat(problem.path("title").asString()).isNotBlank();
    assertThat(problem.path("detail").asString()).contains(requestStatus);
    assertThat(problem.path("status").asInt()).isEqualTo(409);
    assertThat(problem.path("request_status").asString()).isEqualTo(requestStatus);
  }
}
