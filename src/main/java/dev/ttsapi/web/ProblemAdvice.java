package dev.ttsapi.web;

import dev.ttsapi.auth.KeyNotFoundException;
import dev.ttsapi.auth.UserNameTakenException;
import dev.ttsapi.auth.UserNotFoundException;
import dev.ttsapi.backpressure.QueueLimit;
import dev.ttsapi.engine.NothingToSpeakException;
import dev.ttsapi.engine.UnknownLanguageException;
import dev.ttsapi.engine.UnknownVoiceException;
import dev.ttsapi.engine.VoicesNotKnownYetException;
import dev.ttsapi.idempotency.IdempotencyKeyInProgressException;
import dev.ttsapi.idempotency.IdempotencyKeyReusedException;
import dev.ttsapi.idempotency.IdempotencyUnavailableException;
import dev.ttsapi.ratelimit.RateLimitExceededException;
import dev.ttsapi.request.InvalidCursorException;
import dev.ttsapi.request.InvalidTextException;
import dev.ttsapi.request.RequestNotFoundException;
import dev.ttsapi.request.RequestStateException;
import dev.ttsapi.ssml.InvalidSsmlException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error a handler ends with, as RFC 9457 problem details ({@code application/problem+json})
 * of a {@link ProblemType}: a {@link Problem} a handler threw, a domain exception of another
 * package, or one of Spring's own. A missing resource, or another user's, is always a 404.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);
  private static final Duration COME_BACK_SOON = Duration.ofSeconds(5);

  @ExceptionHandler(Problem.class)
  ResponseEntity<ProblemDetail> problem(Problem e) {
    return answer(e.detail(), e.retryAfter());
  }

  @ExceptionHandler(InvalidInputException.class)
  ProblemDetail invalidInput(InvalidInputException e) {
    return fieldErrors(
        ProblemType.INVALID_REQUEST.detail(e.getMessage()),
        e.errors().stream().map(f -> Map.of("field", f.field(), "message", f.message())).toList());
  }

  @ExceptionHandler(InvalidTextException.class)
  ProblemDetail invalidText(InvalidTextException e) {
    ProblemDetail problem =
        fieldErrors(
            ProblemType.INVALID_REQUEST.detail(e.getMessage()),
            List.of(Map.of("field", "text", "message", e.getMessage())));
    // too long: the limit as a number too, so a client can split its text without parsing prose
    e.maxCharacters().ifPresent(limit -> problem.setProperty("max_characters", limit));
    return problem;
  }

  /** SSML that is not well-formed or not speakable: where, so the client can find it. */
  @ExceptionHandler(InvalidSsmlException.class)
  ProblemDetail invalidSsml(InvalidSsmlException e) {
    ProblemDetail problem = ProblemType.INVALID_SSML.detail(e.getMessage());
    problem.setProperty("field", "text");
    problem.setProperty("line", e.line());
    problem.setProperty("column", e.column());
    return problem;
  }

  @ExceptionHandler(InvalidCursorException.class)
  ProblemDetail invalidCursor(InvalidCursorException e) {
    return ProblemType.INVALID_REQUEST.detail(e.getMessage());
  }

  @ExceptionHandler(UnknownVoiceException.class)
  ProblemDetail unknownVoice(UnknownVoiceException e) {
    ProblemDetail problem = ProblemType.UNKNOWN_VOICE.detail(e.getMessage());
    problem.setProperty("voice", e.voice());
    problem.setProperty("available_voices", e.availableVoices());
    problem.setProperty("available_engines", e.availableEngines());
    problem.setProperty("available_languages", e.availableLanguages());
    return problem;
  }

  @ExceptionHandler(UnknownLanguageException.class)
  ProblemDetail unknownLanguage(UnknownLanguageException e) {
    ProblemDetail problem = ProblemType.UNKNOWN_LANGUAGE.detail(e.getMessage());
    problem.setProperty("language", e.language());
    problem.setProperty("available_languages", e.availableLanguages());
    return problem;
  }

  /** Text the voice can say nothing of (only emoji, or letters of a script it does not read). */
  @ExceptionHandler(NothingToSpeakException.class)
  ProblemDetail nothingToSpeak(NothingToSpeakException e) {
    ProblemDetail problem = ProblemType.NOTHING_TO_SPEAK.detail(e.getMessage());
    problem.setProperty("voice", e.voice());
    return problem;
  }

  @ExceptionHandler(UnauthenticatedException.class)
  ResponseEntity<ProblemDetail> unauthenticated(UnauthenticatedException e) {
    ResponseEntity.BodyBuilder answer =
        ResponseEntity.status(ProblemType.UNAUTHENTICATED.status())
            .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    if (e.basicChallenge()) {
      answer.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"tts-api\", charset=\"UTF-8\"");
    }
    return answer.body(ProblemType.UNAUTHENTICATED.detail(e.getMessage()));
  }

  @ExceptionHandler(ForbiddenException.class)
  ProblemDetail forbidden(ForbiddenException e) {
    return ProblemType.FORBIDDEN.detail(e.getMessage());
  }

  @ExceptionHandler({
    RequestNotFoundException.class,
    UserNotFoundException.class,
    KeyNotFoundException.class
  })
  ProblemDetail notFound(RuntimeException e) {
    return ProblemType.NOT_FOUND.detail(e.getMessage());
  }

  @ExceptionHandler(RequestStateException.class)
  ProblemDetail conflict(RequestStateException e) {
    ProblemDetail problem = ProblemType.CONFLICT.detail(e.getMessage());
    // "status" is the HTTP status code in RFC 9457; the request's own status needs another name.
    problem.setProperty("request_status", e.status().wireName());
    return problem;
  }

  @ExceptionHandler(UserNameTakenException.class)
  ProblemDetail userExists(UserNameTakenException e) {
    return ProblemType.USER_EXISTS.detail(e.getMessage());
  }

  /** Over a per-minute limit, the daily character quota, or the budget of unknown keys. */
  @ExceptionHandler(RateLimitExceededException.class)
  ResponseEntity<ProblemDetail> rateLimited(RateLimitExceededException e) {
    Duration retryAfter = Duration.ofSeconds(e.decision().retryAfterSeconds());
    if (e.kind() == RateLimitExceededException.Kind.FAILED_LOGINS) {
      return answer(ProblemType.LOGIN_THROTTLED.detail(e.getMessage()), retryAfter);
    }
    boolean quota = e.kind() == RateLimitExceededException.Kind.CHARACTERS_PER_DAY;
    ProblemDetail problem =
        (quota ? ProblemType.QUOTA_EXCEEDED : ProblemType.RATE_LIMITED).detail(e.getMessage());
    problem.setProperty("limit", e.decision().limit());
    problem.setProperty("remaining", e.decision().remaining());
    ResponseEntity.BodyBuilder response =
        ResponseEntity.status(problem.getStatus())
            .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter.toSeconds()));
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
    return ProblemType.IDEMPOTENCY_KEY_REUSED.detail(e.getMessage());
  }

  @ExceptionHandler(IdempotencyKeyInProgressException.class)
  ResponseEntity<ProblemDetail> idempotencyKeyInProgress(IdempotencyKeyInProgressException e) {
    return answer(
        ProblemType.IDEMPOTENCY_KEY_IN_PROGRESS.detail(e.getMessage()), Duration.ofSeconds(1));
  }

  /** Redis cannot say whether an Idempotency-Key was used: nothing ran, come back shortly. */
  @ExceptionHandler(IdempotencyUnavailableException.class)
  ResponseEntity<ProblemDetail> idempotencyUnavailable(IdempotencyUnavailableException e) {
    log.warn("Idempotency-Key not checked: {}", e.getCause() == null ? e : e.getCause().toString());
    return answer(ProblemType.SERVICE_UNAVAILABLE.detail(e.getMessage()), COME_BACK_SOON);
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
    return answer(
        ProblemType.SERVICE_UNAVAILABLE.detail("A backing store is unreachable; try again shortly"),
        COME_BACK_SOON);
  }

  /** The queues are over their limit: come back later, nothing was accepted. */
  @ExceptionHandler(QueueLimit.QueueFullException.class)
  ResponseEntity<ProblemDetail> queueFull(QueueLimit.QueueFullException e) {
    ProblemDetail problem = ProblemType.QUEUE_FULL.detail(e.getMessage());
    problem.setProperty("queue_length", e.queueLength());
    return answer(problem, Duration.ofSeconds(e.retryAfterSeconds()));
  }

  /** An API node before any worker has published its voices: come back once one has started. */
  @ExceptionHandler(VoicesNotKnownYetException.class)
  ResponseEntity<ProblemDetail> voicesNotKnownYet(VoicesNotKnownYetException e) {
    return answer(ProblemType.SERVICE_UNAVAILABLE.detail(e.getMessage()), COME_BACK_SOON);
  }

  @ExceptionHandler(Exception.class)
  ProblemDetail unexpected(Exception e) {
    log.error("Unexpected error", e);
    return ProblemType.INTERNAL.detail("Something went wrong on our side; it has been logged");
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof BulkBodyRequest.BodyTooLargeException large) {
        ProblemDetail problem = ProblemType.PAYLOAD_TOO_LARGE.detail(large.getMessage());
        problem.setProperty("max_body_bytes", large.maxBytes);
        return ResponseEntity.status(problem.getStatus())
            .header(HttpHeaders.CONNECTION, "close")
            .body(problem);
      }
    }
    return ResponseEntity.badRequest()
        .body(
            ProblemType.MALFORMED_BODY.detail("The body is not valid JSON of the expected shape"));
  }

  @Override
  protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(
      HttpMediaTypeNotSupportedException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    return ResponseEntity.status(ProblemType.UNSUPPORTED_MEDIA_TYPE.status())
        .headers(headers)
        .body(
            ProblemType.UNSUPPORTED_MEDIA_TYPE.detail(
                "Send the body as Content-Type: application/json"));
  }

  /**
   * Every answer of Spring's own exception handling (no handler: 404, 405, 406, missing
   * parameters…) gets this API's type for its status instead of {@code about:blank}.
   */
  @Override
  protected ResponseEntity<Object> createResponseEntity(
      Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
    if (body instanceof ProblemDetail problem
        && (problem.getType() == null || "about:blank".equals(problem.getType().toString()))) {
      ProblemType type = ProblemType.forStatus(statusCode.value());
      problem.setType(type.uri());
      if (problem.getTitle() == null) {
        problem.setTitle(type.detail("").getTitle());
      }
    }
    return super.createResponseEntity(body, headers, statusCode, request);
  }

  private static ProblemDetail fieldErrors(
      ProblemDetail problem, List<Map<String, String>> errors) {
    problem.setProperty("errors", errors);
    return problem;
  }

  private static ResponseEntity<ProblemDetail> answer(ProblemDetail problem, Duration retryAfter) {
    ResponseEntity.BodyBuilder response = ResponseEntity.status(problem.getStatus());
    if (retryAfter != null) {
      response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
    }
    return response.body(problem);
  }
}
