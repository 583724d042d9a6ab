package dev.ttsapi.api;

import static dev.ttsapi.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** An admin makes users and their keys; a key is shown once and kept only as its hash. */
class AdminUsersTest extends IntegrationTest {

  private static final String PROBLEMS = "https://tts-api.dev/problems/";

  private TestUser admin;

  @BeforeEach
  void admin() {
    admin = newUser("root-admin", Caller.Role.ADMIN);
  }

  @Test
  void admin_creates_a_user_and_a_key_that_opens_the_tts_api() {
    Response created = createUser(Map.of("name", "newcomer"));

    assertThat(created.status()).as(created.text()).isEqualTo(201);
    JsonNode user = created.json();
    String userId = user.path("user_id").asString();
    assertThat(UUID.fromString(userId)).isNotNull();
    assertThat(user.path("name").asString()).isEqualTo("newcomer");
    assertThat(user.path("role").asString()).isEqualTo("user");

    Response issued = issueKey(userId);

    assertThat(issued.status()).as(issued.text()).isEqualTo(201);
    assertThat(issued.json().path("user_id").asString()).isEqualTo(userId);
    assertThat(issued.json().path("key_id").asString()).isNotBlank();
    String key = issued.json().path("api_key").asString();
    assertThat(key).isNotBlank();
    assertThat(api.get("/tts/voices", key).status()).isEqualTo(200);
    assertThat(api.post("/admin/users", key, ApiClient.json(Map.of("name", "x"))).status())
        .as("a user's key is not an admin key")
        .isEqualTo(403);
  }

  @Test
  void a_user_created_as_admin_gets_a_key_that_opens_the_admin_api() {
    Response created = createUser(Map.of("name", "second-admin", "role", "admin"));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(created.json().path("role").asString()).isEqualTo("admin");

    String key =
        issueKey(created.json().path("user_id").asString()).json().path("api_key").asString();

    Response byNewAdmin = api.post("/admin/users", key, ApiClient.json(Map.of("name", "third")));
    assertThat(byNewAdmin.status()).as(byNewAdmin.text()).isEqualTo(201);
  }

  @Test
  void each_issued_key_is_new_and_each_works() {
    String userId = createUser(Map.of("name", "two-keys")).json().path("user_id").asString();

    String first = issueKey(userId).json().path("api_key").asString();
    String second = issueKey(userId).json().path("api_key").asString();

    assertThat(first).isNotEqualTo(second);
    assertThat(api.get("/tts/voices", first).status()).isEqualTo(200);
    assertThat(api.get("/tts/voices", second).status()).isEqualTo(200);
  }

  @Test
  void keys_are_stored_only_as_hashes() {
    String userId = createUser(Map.of("name", "hashed")).json().path("user_id").asString();

    String key = issueKey(userId).json().path("api_key").asString();

    String hex = HexFormat.of().formatHex(key.getBytes(StandardCharsets.UTF_8));
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM api_keys k"
                        + " WHERE strpos(k::text, :key) > 0 OR strpos(lower(k::text), :hex) > 0")
                .param("key", key)
                .param("hex", hex)
                .query(Long.class)
                .single())
        .as("the clear key, as text or as bytes, in any column of api_keys")
        .isZero();
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM api_keys"
                        + " WHERE user_id = :userId AND key_hash = sha256(convert_to(:key, 'UTF8'))")
                .param("userId", UUID.fromString(userId))
                .param("key", key)
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void duplicate_user_name_is_a_409_problem_and_creates_nothing() {
    assertThat(createUser(Map.of("name", "taken")).status()).isEqualTo(201);

    Response again = createUser(Map.of("name", "taken"));

    assertProblem(again, 409, "user-exists");
    assertThat(
            jdbc.sql("SELECT count(*) FROM users WHERE name = 'taken'").query(Long.class).single())
        .isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0b6d3d1e-4c8f-4a55-9d0e-2f1f6c3b9a77", "not-a-user-id"})
  void key_for_an_unknown_user_is_a_404_problem_and_stores_no_key(String userId) {
    Response response = issueKey(userId);

    assertProblem(response, 404, "not-found");
    assertThat(jdbc.sql("SELECT count(*) FROM api_keys").query(Long.class).single())
        .as("only the admin's own key")
        .isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "semi;colon"})
  void invalid_user_name_is_a_400_problem_on_name(String name) {
    Response response = createUser(Map.of("name", name));

    JsonNode problem = assertProblem(response, 400, "invalid-request");
    assertThat(problem.path("errors").path(0).path("field").asString()).isEqualTo("name");
    assertThat(jdbc.sql("SELECT count(*) FROM users").query(Long.class).single()).isEqualTo(1);
  }

  @Test
  void user_name_over_100_characters_is_a_400_problem_on_name() {
    JsonNode problem =
        assertProblem(createUser(Map.of("name", "n".repeat(101))), 400, "invalid-request");

    assertThat(problem.path("errors").path(0).path("field").asString()).isEqualTo("name");
  }

  @Test
  void missing_user_name_is_a_400_problem_on_name() {
    JsonNode problem = assertProblem(createUser(Map.of()), 400, "invalid-request");

    assertThat(problem.path("errors").path(0).path("field").asString()).isEqualTo("name");
  }

  @Test
  void unknown_role_is_a_400_problem_on_role() {
    Response response = createUser(Map.of("name", "overlord", "role", "superuser"));

    JsonNode problem = assertProblem(response, 400, "invalid-request");
    assertThat(problem.path("errors").path(0).path("field").asString()).isEqualTo("role");
    assertThat(jdbc.sql("SELECT count(*) FROM users").query(Long.class).single()).isEqualTo(1);
  }

  @Test
  void malformed_user_body_is_a_400_problem() {
    Response response = api.post("/admin/users", admin.key(), "{\"name\": ");

    assertProblem(response, 400, "malformed-body");
  }

  private Response createUser(Map<String, String> body) {
    return api.post("/admin/users", admin.key(), ApiClient.json(body));
  }

  private Response issueKey(String userId) {
    return api.post("/admin/users/" + userId + "/keys", admin.key(), "");
  }
}
