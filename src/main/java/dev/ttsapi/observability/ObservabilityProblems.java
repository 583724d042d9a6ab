package dev.ttsapi.observability;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** Problem {@code type}s of this package's answers, in the API's URI scheme. */
final class ObservabilityProblems {

  private ObservabilityProblems() {}

  private static final String BASE = "https://tts-api.dev/problems/";

  static final URI PROFILER_BUSY = URI.create(BASE + "profiler-busy");
  static final URI INVALID_REQUEST = URI.create(BASE + "invalid-request");

  static ProblemDetail of(HttpStatus status, URI type, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(type);
    problem.setTitle(title);
    return problem;
  }
}
