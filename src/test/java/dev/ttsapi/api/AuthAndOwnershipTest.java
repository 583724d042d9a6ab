package dev.ttsapi.api;

import static dev.ttsapi.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.request.RequestIds;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Who may call what: a missing or wrong key is a 401, a user on the admin API a 403, and another
 * user's request looks exactly like a missing one (a 404 that reveals nothing).
 */
class AuthAndOwnershipTest extends IntegrationTest {

  private static final String PROBLEMS = "https://tts-api.dev/problems/";

  @Test
  void missing_authorization_is_a_401_problem_with_a_bearer_challenge() {
    Response response = api.get("/tts/voices", null);

    assertProblem(response, 401, "unauthenticated");
    assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
  }

  @Test
  void submit_without_authorization_is_a_401_and_stores_nothing() {
    Response response = api.post("/tts/request", null, Payloads.submit("Hello.", "wav"));

    assertProblem(response, 401, "unauthenticated");
    assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
    assertNothingStored();
  }

  @Test
  void authorization_that_is_not_bearer_is_a_401_problem() {
    TestUser user = newUser("basic-user", Caller.Role.USER);

    Response response = api.get("/tts/voices", null, "Authorization", "Basic " + user.key());

    assertProblem(response, 401, "unauthenticated");
    assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
  }

  @ParameterizedTest
  @ValueSource(strings = {"tts_not-a-key-this-service-issued", "x"})
  void wrong_key_is_a_401_problem(String key) {
    newUser("real-user", Caller.Role.USER);

    Response voices = api.get("/tts/voices", key);
    Response submit = api.post("/tts/request", key, Payloads.submit("Hello.", "wav"));

    assertProblem(voices, 401, "unauthenticated");
    assertProblem(submit, 401, "unauthenticated");
    assertThat(submit.header("WWW-Authenticate")).isEqualTo("Bearer");
    assertNothingStored();
  }

  @Test
  void non_admin_on_the_admin_api_is_a_403_problem_and_changes_nothing() {
    TestUser user = newUser("plain-user", Caller.Role.USER);

    Response create =
        api.post("/admin/users", user.key(), ApiClient.json(Map.of("name", "sneaky")));
    Response key = api.post("/admin/users/" + user.caller().userId() + "/keys", user.key(), "");

    assertProblem(create, 403, "forbidden");
    assertProblem(key, 403, "forbidden");
    assertThat(jdbc.sql("SELECT count(*) FROM users").query(Long.class).single()).isEqualTo(1);
    assertThat(jdbc.sql("SELECT count(*) FROM api_keys").query(Long.class).single()).isEqualTo(1);
  }

  @Test
  void user_id_of_another_user_from_a_non_admin_is_a_403_and_stores_nothing() {
    TestUser mallory = newUser("mallory", Caller.Role.USER);
    TestUser alice = newUser("alice", Caller.Role.USER);

    Response byName = api.post("/tts/request", mallory.key(), submitFor("alice"));
    Response byId =
        api.post("/tts/request", mallory.key(), submitFor(alice.caller().userId().toString()));

    assertProblem(byName, 403, "forbidden");
    assertProblem(byId, 403, "forbidden");
    assertNothingStored();
  }

  @Test
  void admin_may_submit_for_another_user_by_name_and_the_request_is_theirs() {
    TestUser admin = newUser("the-admin", Caller.Role.ADMIN);
    TestUser alice = newUser("alice", Caller.Role.USER);
    worker().stop();
    try {
      Response submitted = api.post("/tts/request", admin.key(), submitFor("alice"));

      assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);
      String id = submitted.json().path("request_id").asString();
      assertThat(jdbc.sql("SELECT user_id FROM requests").query(UUID.class).single())
          .isEqualTo(alice.caller().userId());
      assertThat(listedIds(alice.key())).containsExactly(id);
      assertThat(listedIds(admin.key())).isEmpty();
      assertThat(api.get("/tts/status/" + id, alice.key()).status()).isEqualTo(200);
    } finally {
      worker().start();
    }
  }

  @Test
  void admin_submitting_for_an_unknown_user_is_a_400_problem_and_stores_nothing() {
    TestUser admin = newUser("the-admin", Caller.Role.ADMIN);

    Response response = api.post("/tts/request", admin.key(), submitFor("nobody"));

    JsonNode problem = assertProblem(response, 400, "invalid-request");
    assertThat(problem.path("errors").path(0).path("field").asString()).isEqualTo("user_id");
    assertNothingStored();
  }

  @Test
  void another_users_queued_request_is_a_404_on_status_audio_and_cancel_and_reveals_nothing() {
    TestUser owner = newUser("owner", Caller.Role.USER);
    TestUser mallory = newUser("mallory", Caller.Role.USER);
    worker().stop();
    try {
      String id = submit(owner);

      for (Response response :
          List.of(
              api.get("/tts/status/" + id, mallory.key()),
              api.get("/tts/audio/" + id, mallory.key()),
              api.delete("/tts/request/" + id, mallory.key()))) {
        JsonNode problem = assertProblem(response, 404, "not-found");
        assertRevealsNothing(problem);
      }
      assertThat(api.get("/tts/status/" + id, owner.key()).json().path("status").asString())
          .as("mallory's cancel changed nothing")
          .isEqualTo("queued");
      assertThat(events(id)).containsExactly("queued");
    } finally {
      worker().start();
    }
  }

  @Test
  void another_users_completed_audio_is_a_404_not_the_audio() {
    TestUser owner = newUser("owner", Caller.Role.USER);
    TestUser mallory = newUser("mallory", Caller.Role.USER);
    String id = submit(owner);
    awaitStatus(owner.key(), id, "completed");

    Response audio = api.get("/tts/audio/" + id, mallory.key());
    Response status = api.get("/tts/status/" + id, mallory.key());

    assertRevealsNothing(assertProblem(audio, 404, "not-found"));
    assertRevealsNothing(assertProblem(status, 404, "not-found"));
    assertThat(api.get("/tts/audio/" + id, owner.key()).status()).isEqualTo(200);
  }

  @Test
  void unknown_request_id_is_a_404_problem_on_status_audio_and_cancel() {
    TestUser user = newUser("user", Caller.Role.USER);
    String neverIssued = new RequestIds(Clock.systemUTC()).next().toString();
    String randomV4 = UUID.randomUUID().toString();

    for (String id : List.of(neverIssued, randomV4)) {
      assertProblem(api.get("/tts/status/" + id, user.key()), 404, "not-found");
      assertProblem(api.get("/tts/audio/" + id, user.key()), 404, "not-found");
      assertProblem(api.delete("/tts/request/" + id, user.key()), 404, "not-found");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-a-uuid", "12345", "0190b8c2-zzzz-7000-8000-000000000000"})
  void id_that_is_not_a_uuid_is_a_404_problem_on_status_audio_and_cancel(String id) {
    TestUser user = newUser("user", Caller.Role.USER);

    assertProblem(api.get("/tts/status/" + id, user.key()), 404, "not-found");
    assertProblem(api.get("/tts/audio/" + id, user.key()), 404, "not-found");
    assertProblem(api.delete("/tts/request/" + id, user.key()), 404, "not-found");
  }

  private String submit(TestUser user) {
    Response response = api.post("/tts/request", user.key(), Payloads.submit("Mine.", "wav"));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("request_id").asString();
  }

  private static String submitFor(String userId) {
    return ApiClient.json(
        Map.of(
            "text",
            "On behalf of someone.",
            "voice_settings",
            Map.of("voice", "mary:cmu-slt-hsmm"),
            "user_id",
            userId));
  }

  private List<String> listedIds(String key) {
    Response page = api.get("/tts/requests", key);
    assertThat(page.status()).as(page.text()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    for (JsonNode item : page.json().path("items")) {
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

  private void assertNothingStored() {
    assertThat(jdbc.sql("SELECT count(*) FROM requests").query(Long.class).single()).isZero();
    assertThat(jdbc.sql("SELECT count(*) FROM logs").query(Long.class).single()).isZero();
    assertThat(queue.depths().values()).allMatch(depth -> depth == 0);
    assertThat(redis.sync().keys("tts_status:*")).isEmpty();
  }

  /** A 404 for someone else's request carries none of the request's data. */
  private static void assertRevealsNothing(JsonNode problem) {
    List<String> fields = new ArrayList<>();
    problem.propertyNames().forEach(fields::add);
    assertThat(fields).isSubsetOf("type", "title", "status", "detail", "instance");
    assertThat(problem.path("detail").asString())
        .doesNotContain("queued")
        .doesNotContain("completed")
        .doesNotContain("mary");
  }
}
