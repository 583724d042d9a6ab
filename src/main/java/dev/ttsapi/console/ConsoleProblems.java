package dev.ttsapi.console;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Problem details of this package's refusals, in the API's {@code type} URI scheme. */
final class ConsoleProblems {

  private static final String BASE = "https://tts-api.dev/problems/";

  static final URI TOO_MANY_STREAMS = URI.create(BASE + "too-many-streams");

  private ConsoleProblems() {}

  static ResponseEntity<ProblemDetail> of(
      HttpStatus status, URI type, String title, String detail, String retryAfterSeconds) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(type);
    problem.setTitle(title);
    return ResponseEntity.status(status)
        .header("Retry-After", retryAfterSeconds)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }
}
