package dev.ttsapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import org.junit.jupiter.api.Test;

/**
 * A JSON answer, success or problem, carries its Content-Length and is not chunked: a client or
 * proxy knows its size up front, and the service writes it at once ({@link WholeJsonAnswerFilter}).
 * Before, the JSON converter's flush committed it first, and every JSON answer went out chunked.
 */
class WholeJsonAnswerTest extends IntegrationTest {

  @Test
  void submit_status_and_a_problem_answer_with_their_length_not_chunked() {
    TestUser user = newUser("whole-json-user", Caller.Role.USER);

    Response submitted =
        api.post("/tts/request", user.key(), Payloads.submit("Whole answers.", "wav"));
    assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);
    assertWhole(submitted);

    String id = submitted.json().path("request_id").asString();
    Response status = api.get("/tts/status/" + id, user.key());
    assertThat(status.status()).as(status.text()).isEqualTo(200);
    assertThat(status.json().path("request_id").asString()).isEqualTo(id);
    assertWhole(status);

    Response missing = api.get("/tts/status/" + java.util.UUID.randomUUID(), user.key());
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
    assertWhole(missing);
  }

  private static void assertWhole(Response r) {
    assertThat(r.header("Transfer-Encoding")).as("Transfer-Encoding of %s", r.text()).isNull();
    assertThat(r.header("Content-Length"))
        .as("Content-Length of %s", r.text())
        .isEqualTo(Integer.toString(r.body().length));
  }
}
