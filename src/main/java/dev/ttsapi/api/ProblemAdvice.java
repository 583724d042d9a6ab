package dev.ttsapi.api;

import dev.ttsapi.auth.UserNameTakenException;
import dev.ttsapi.auth.UserNotFoundException;
import dev.ttsapi.engine.NothingToSpeakException;
import dev.ttsapi.engine.UnknownLanguageException;
import dev.ttsapi.engine.UnknownVoiceException;
import dev.ttsapi.engine.VoicesNotKnownYetException;
import dev.ttsapi.idempotency.IdempotencyKeyInProgressException;
import dev.ttsapi.idempotency.IdempotencyKeyReusedException;
import dev.ttsapi.observability.QueueLimit;
import dev.ttsapi.ratelimit.RateLimitExceededException;
import dev.ttsapi.request.InvalidCursorException;
import dev.ttsapi.request.InvalidTextException;
import dev.ttsapi.request.RequestNotFoundException;
import dev.ttsapi.request.RequestStateException;
import dev.ttsapi.web.ForbiddenException;
import dev.ttsapi.web.UnauthenticatedException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as RFC 9457 problem details ({@code application/problem+json}) with a stable {@code
 * type} per kind. A missing resource, or another user's, is always a 404.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

  @ExceptionHandler(InvalidInputException.class)
  ProblemDetail invalidInput(InvalidInputException e) {
    ProblemDetail problem =
        problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request", e);
    problem.setProperty(
        "errors",
        e.errors().stream().map(f -> Map.of("field", f.field(), "message", f.message())).toList());
    return problem;
  }

  @ExceptionHandler({InvalidTextException.class})
  ProblemDetail invalidText(InvalidTextException e) {
    ProblemDetail problem =
        problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request", e);
    problem.setProperty("errors", List.of(Map.of("field", "text", "message", e.getMessage())));
    return problem;
  }

  @ExceptionHandler(InvalidCursorException.class)
  ProblemDetail invalidCursor(InvalidCursorException e) {
    return problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid cursor", e);
  }

  @ExceptionHandler(UnknownVoiceException.class)
  ProblemDetail unknownVoice(UnknownVoiceException e) {
    ProblemDetail problem =
        problem(HttpStatus.BAD_REQUEST, ProblemTypes.UNKNOWN_VOICE, "Unknown voice", e);
    problem.setProperty("voice", e.voice());
    problem.setProperty("available_voices", e.availableVoices());
    problem.setProperty("available_engines", e.availableEngines());
    problem.setProperty("available_languages", e.availableLanguages());
    return problem;
  }

  @ExceptionHandler(UnknownLanguageException.class)
  ProblemDetail unknownLanguage(UnknownLanguageException e) {
    ProblemDetail problem =
        problem(HttpStatus.BAD_REQUEST, ProblemTypes.UNKNOWN_LANGUAGE, "Unknown language", e);
    problem.setProperty("language", e.language());
    problem.setProperty("available_languages", e.availableLanguages());
    return problem;
  }

  /** Text the voice can say nothing of (only emoji, or letters of a script it does not read). */
  @ExceptionHandler(NothingToSpeakException.class)
  ProblemDetail nothingToSpeak(NothingToSpeakException e) {
    ProblemDetail problem =
        problem(HttpStatus.BAD_REQUEST, ProblemTypes.NOTHING_TO_SPEAK, "Nothing to speak", e);
    problem.setProperty("voice", e.voice());
    return problem;
  }

  @ExceptionHandler(UnauthenticatedException.class)
  ResponseEntity<ProblemDetail> unauthenticated(UnauthenticatedException e) {
    return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .body(problem(HttpStatus.UNAUTHORIZED, ProblemTypes.UNAUTHENTICATED, "Unauthenticated", e));
  }

  @ExceptionHandler(ForbiddenException.class)
  ProblemDetail forbidden(ForbiddenException e) {
    return problem(HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN, "Forbidden", e);
  }

  @ExceptionHandler({
    RequestNotFoundException.class,
    UserNotFoundException.class,
    dev.ttsapi.auth.KeyNotFoundException.class
  })
  ProblemDetail notFound(RuntimeException e) {
    return problem(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Not found", e);
  }

  @ExceptionHandler(RequestStateException.class)
  ProblemDetail conflict(RequestStateException e) {
    ProblemDetail problem =
        problem(HttpStatus.CONFLICT, ProblemTypes.CONFLICT, "Not possible in this state", e);
    // "status" is the HTTP status code in RFC 9457; the request's own status needs another name.
    problem.setProperty("request_status", e.status().wireName());
    return problem;
  }

  @ExceptionHandler(UserNameTakenException.class)
  ProblemDetail userExists(UserNameTakenException e) {
    return problem(HttpStatus.CONFLICT, ProblemTypes.USER_EXISTS, "User exists", e);
  }

  /** Over a per-minute limit, the daily character quota, or the budget of unknown keys. */
  @ExceptionHandler(RateLimitExceededException.class)
  ResponseEntity<ProblemDetail> rateLimited(RateLimitExceededException e) {
    var response =
        ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
            .header(HttpHeaders.RETRY_AFTER, Long.toString(e.decision().retryAfterSeconds()));
    if (e.kind() == RateLimitExceededException.Kind.FAILED_LOGINS) {
      return response.body(
          problem(
              HttpStatus.TOO_MANY_REQUESTS,
              ProblemTypes.LOGIN_THROTTLED,
              "Too many unknown API keys",
              e));
    }
    boolean quota = e.kind() == RateLimitExceededException.Kind.CHARACTERS_PER_DAY;
    ProblemDetail problem =
        problem(
            HttpStatus.TOO_MANY_REQUESTS,
            quota ? ProblemTypes.QUOTA_EXCEEDED : ProblemTypes.RATE_LIMITED,
            quota ? "Daily character quota exceeded" : "Rate limit exceeded",
            e);
    problem.setProperty("limit", e.decision().limit());
    problem.setProperty("remaining", e.decision().remaining());
    if (!quota) {
      response
          .header("RateLimit-Limit", Long.toString(e.decision().limit()))
          .header("RateLimit-Remaining", Long.toString(e.decision().remaining()))
          .header("RateLimit-Reset", Long.toString(e.decision().resetSeconds()));
    }
    return response.body(problem);
  }

  @ExceptionHandler(IdempotencyKeyReusedException.class)
  ProblemDetail idempotencyKeyReused(IdempotencyKeyReusedException e) {
    return problem(
        HttpStatus.UNPROCESSABLE_CONTENT,
        ProblemTypes.IDEMPOTENCY_KEY_REUSED,
        "Idempotency key reused",
        e);
  }

  @ExceptionHandler(IdempotencyKeyInProgressException.class)
  ResponseEntity<ProblemDetail> idempotencyKeyInProgress(IdempotencyKeyInProgressException e) {
    return ResponseEntity.status(HttpStatus.CONFLICT)
        .header(HttpHeaders.RETRY_AFTER, "1")
        .body(
            problem(
                HttpStatus.CONFLICT,
                ProblemTypes.IDEMPOTENCY_KEY_IN_PROGRESS,
                "Request in progress",
                e));
  }

  /** PostgreSQL or Redis unreachable: the client should come back, nothing was accepted. */
  @ExceptionHandler({
    DataAccessResourceFailureException.class,
    TransientDataAccessException.class,
    org.springframework.transaction.CannotCreateTransactionException.class,
    io.lettuce.core.RedisConnectionException.class
  })
  ResponseEntity<ProblemDetail> unavailable(RuntimeException e) {
    log.warn("Store unavailable: {}", e.toString());
    return comeBackSoon("Service unavailable", "A backing store is unreachable; try again shortly");
  }

  /** The queues are over their limit: come back later, nothing was accepted. */
  @ExceptionHandler(QueueLimit.QueueFullException.class)
  ResponseEntity<ProblemDetail> queueFull(QueueLimit.QueueFullException e) {
    ProblemDetail problem =
        problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.QUEUE_FULL, "Queue full", e);
    problem.setProperty("queue_length", e.queueLength());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
        .body(problem);
  }

  /** An API node before any worker has published its voices: come back once one has started. */
  @ExceptionHandler(VoicesNotKnownYetException.class)
  ResponseEntity<ProblemDetail> voicesNotKnownYet(VoicesNotKnownYetException e) {
    return comeBackSoon("No voices known yet", e.getMessage());
  }

  /** 503 with Retry-After: nothing was accepted, and the same request will work shortly. */
  private static ResponseEntity<ProblemDetail> comeBackSoon(String title, String detail) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "5")
        .body(
            problem(
                HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.SERVICE_UNAVAILABLE, title, detail));
  }

  @ExceptionHandler(Exception.class)
  ProblemDetail unexpected(Exception e) {
    log.error("Unexpected error", e);
    return problem(
        HttpStatus.INTERNAL_SERVER_ERROR,
        ProblemTypes.INTERNAL,
        "Internal error",
        "Something went wrong on our side; it has been logged");
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    ProblemDetail problem =
        problem(
            HttpStatus.BAD_REQUEST,
            ProblemTypes.MALFORMED_BODY,
            "Malformed body",
            "The body is not valid JSON of the expected shape");
    return ResponseEntity.badRequest().body(problem);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(
      HttpMediaTypeNotSupportedException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    ProblemDetail problem =
        problem(
            HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            ProblemTypes.UNSUPPORTED_MEDIA_TYPE,
            "Unsupported media type",
            "Send the body as Content-Type: application/json");
    return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).headers(headers).body(problem);
  }

  @Override
  protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(
      HttpRequestMethodNotSupportedException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    ProblemDetail problem =
        problem(
            HttpStatus.METHOD_NOT_ALLOWED,
            ProblemTypes.METHOD_NOT_ALLOWED,
            "Method not allowed",
            ex.getMessage());
    return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED).headers(headers).body(problem);
  }

  /**
   * Every answer of Spring's own exception handling (no handler: 404, 406, missing parameters…)
   * gets this API's type for its status instead of {@code about:blank}.
   */
  @Override
  protected ResponseEntity<Object> createResponseEntity(
      Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
    if (body instanceof ProblemDetail problem
        && (problem.getType() == null || "about:blank".equals(problem.getType().toString()))) {
      problem.setType(ProblemTypes.forStatus(statusCode.value()));
    }
    return super.createResponseEntity(body, headers, statusCode, request);
  }

  private static ProblemDetail problem(
      HttpStatus status, URI type, String title, RuntimeException e) {
    return problem(status, type, title, e.getMessage());
  }

  private static ProblemDetail problem(HttpStatus status, URI type, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(type);
    problem.setTitle(title);
    return problem;
  }
}
