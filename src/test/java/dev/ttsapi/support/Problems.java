package dev.ttsapi.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.support.ApiClient.Response;
import tools.jackson.databind.JsonNode;

/** What every error answer must be: RFC 9457 problem details with our stable type URI. */
public final class Problems {

  public static final String TYPES = "https://tts-api.dev/problems/";

  private Problems() {}

  /** Asserts the answer is a problem of this status and type (the URI's last segment). */
  public static JsonNode assertProblem(Response response, int status, String type) {
    assertThat(response.status()).as(response.text()).isEqualTo(status);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.path("type").asString()).isEqualTo(TYPES + type);
    assertThat(problem.path("title").asString()).isNotBlank();
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("detail").asString()).isNotBlank();
    return problem;
  }
}
