package dev.ttsapi.speech;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** {@link SpeechProblem} as RFC 9457 problem details; other errors go to the API's own advice. */
@RestControllerAdvice(assignableTypes = SpeechController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class SpeechProblemAdvice {

  private static final String BASE = "https://tts-api.dev/problems/";

  @ExceptionHandler(SpeechProblem.class)
  ResponseEntity<ProblemDetail> problem(SpeechProblem e) {
    boolean tooMany = e.status() == HttpStatus.TOO_MANY_REQUESTS;
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
    problem.setType(URI.create(BASE + e.type()));
    problem.setTitle(
        tooMany
            ? "Too many streams"
            : e.status().is4xxClientError() ? "Invalid request" : "Service unavailable");
    if (e.param() != null) {
      problem.setProperty("param", e.param());
    }
    // OpenAI's own shape: its 429s say type "requests", code "rate_limit_exceeded".
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("message", e.getMessage());
    error.put(
        "type",
        tooMany
            ? "requests"
            : e.status().is4xxClientError() ? "invalid_request_error" : "server_error");
    error.put("param", e.param());
    error.put("code", tooMany ? "rate_limit_exceeded" : null);
    problem.setProperty("error", error);
    ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status());
    if (e.retryAfter() != null) {
      response.header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfter().toSeconds()));
    }
    return response.body(problem);
  }
}
