package dev.ttsapi.web;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Every kind of error this service answers with, as RFC 9457 problem details: a stable {@code type}
 * URI a client can branch on, the usual status and a title. The one place problem details are made
 * ({@link #detail}); handlers throw a {@link Problem} or a domain exception that {@link
 * ProblemAdvice} maps to one of these.
 */
public enum ProblemType {
  INVALID_REQUEST("invalid-request", HttpStatus.BAD_REQUEST, "Invalid request"),
  MALFORMED_BODY("malformed-body", HttpStatus.BAD_REQUEST, "Malformed body"),
  MALFORMED_REQUEST("malformed-request", HttpStatus.BAD_REQUEST, "Bad Request"),
  INVALID_SSML("invalid-ssml", HttpStatus.BAD_REQUEST, "Invalid SSML"),
  NOTHING_TO_SPEAK("nothing-to-speak", HttpStatus.BAD_REQUEST, "Nothing to speak"),
  UNKNOWN_VOICE("unknown-voice", HttpStatus.BAD_REQUEST, "Unknown voice"),
  UNKNOWN_LANGUAGE("unknown-language", HttpStatus.BAD_REQUEST, "Unknown language"),
  CALLBACK_URL_REFUSED("callback-url-refused", HttpStatus.BAD_REQUEST, "Callback URL refused"),
  BATCH_NOT_CONCATENABLE(
      "batch-not-concatenable", HttpStatus.CONFLICT, "Batch audio cannot be joined"),
  UNAUTHENTICATED("unauthenticated", HttpStatus.UNAUTHORIZED, "Unauthenticated"),
  FORBIDDEN("forbidden", HttpStatus.FORBIDDEN, "Forbidden"),
  NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "Not found"),
  METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
  NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
  CONFLICT("request-state-conflict", HttpStatus.CONFLICT, "Not possible in this state"),
  USER_EXISTS("user-exists", HttpStatus.CONFLICT, "User exists"),
  PROFILER_BUSY("profiler-busy", HttpStatus.CONFLICT, "Profiler busy"),
  IDEMPOTENCY_KEY_IN_PROGRESS(
      "idempotency-key-in-progress", HttpStatus.CONFLICT, "Request in progress"),
  PAYLOAD_TOO_LARGE("payload-too-large", HttpStatus.PAYLOAD_TOO_LARGE, "Payload too large"),
  UNSUPPORTED_MEDIA_TYPE(
      "unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
  IDEMPOTENCY_KEY_REUSED(
      "idempotency-key-reused", HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency key reused"),
  RATE_LIMITED("rate-limited", HttpStatus.TOO_MANY_REQUESTS, "Rate limit exceeded"),
  QUOTA_EXCEEDED("quota-exceeded", HttpStatus.TOO_MANY_REQUESTS, "Daily character quota exceeded"),
  LOGIN_THROTTLED("login-throttled", HttpStatus.TOO_MANY_REQUESTS, "Too many unknown API keys"),
  TOO_MANY_STREAMS("too-many-streams", HttpStatus.TOO_MANY_REQUESTS, "Too many streams"),
  INTERNAL("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error"),
  SERVICE_UNAVAILABLE("service-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable"),
  QUEUE_FULL("queue-full", HttpStatus.SERVICE_UNAVAILABLE, "Queue full");

  /** Where the types live; a client compares the whole URI. */
  public static final String BASE = "https://tts-api.dev/problems/";

  private final URI uri;
  private final HttpStatus status;
  private final String title;

  ProblemType(String slug, HttpStatus status, String title) {
    this.uri = URI.create(BASE + slug);
    this.status = status;
    this.title = title;
  }

  public URI uri() {
    return uri;
  }

  public HttpStatus status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** Problem details of this type with its usual status. */
  public ProblemDetail detail(String detail) {
    return detail(status, detail);
  }

  /** Problem details of this type with another status (a full node's 503 for too many streams). */
  public ProblemDetail detail(HttpStatus status, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(uri);
    problem.setTitle(title);
    return problem;
  }

  /**
   * The type of an error known only by its status: Spring's own refusals (a 404 for no handler, a
   * 406) and the container's (a request line it cannot parse), so even these have a stable type.
   */
  public static ProblemType forStatus(int status) {
    return switch (status) {
      case 400 -> INVALID_REQUEST;
      case 401 -> UNAUTHENTICATED;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 406 -> NOT_ACCEPTABLE;
      case 409 -> CONFLICT;
      case 413 -> PAYLOAD_TOO_LARGE;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      case 422 -> INVALID_REQUEST;
      case 429 -> RATE_LIMITED;
      case 503 -> SERVICE_UNAVAILABLE;
      default -> status >= 500 ? INTERNAL : INVALID_REQUEST;
    };
  }
}
