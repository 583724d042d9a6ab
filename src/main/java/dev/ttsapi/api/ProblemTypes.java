package dev.ttsapi.api;

import java.net.URI;

/** Stable {@code type} URIs of the problem details this API answers with, one per kind. */
final class ProblemTypes {

  private ProblemTypes() {}

  private static final String BASE = "https://tts-api.dev/problems/";

  static final URI INVALID_REQUEST = URI.create(BASE + "invalid-request");
  static final URI MALFORMED_BODY = URI.create(BASE + "malformed-body");
  static final URI UNSUPPORTED_MEDIA_TYPE = URI.create(BASE + "unsupported-media-type");
  static final URI UNKNOWN_VOICE = URI.create(BASE + "unknown-voice");
  static final URI UNKNOWN_LANGUAGE = URI.create(BASE + "unknown-language");
  static final URI NOTHING_TO_SPEAK = URI.create(BASE + "nothing-to-speak");
  static final URI UNAUTHENTICATED = URI.create(BASE + "unauthenticated");
  static final URI FORBIDDEN = URI.create(BASE + "forbidden");
  static final URI NOT_FOUND = URI.create(BASE + "not-found");
  static final URI CONFLICT = URI.create(BASE + "request-state-conflict");
  static final URI USER_EXISTS = URI.create(BASE + "user-exists");
  static final URI METHOD_NOT_ALLOWED = URI.create(BASE + "method-not-allowed");
  static final URI QUEUE_FULL = URI.create(BASE + "queue-full");
  static final URI SERVICE_UNAVAILABLE = URI.create(BASE + "service-unavailable");
  static final URI RATE_LIMITED = URI.create(BASE + "rate-limited");
  static final URI QUOTA_EXCEEDED = URI.create(BASE + "quota-exceeded");
  static final URI LOGIN_THROTTLED = URI.create(BASE + "login-throttled");
  static final URI IDEMPOTENCY_KEY_REUSED = URI.create(BASE + "idempotency-key-reused");
  static final URI IDEMPOTENCY_KEY_IN_PROGRESS = URI.create(BASE + "idempotency-key-in-progress");
  static final URI INTERNAL = URI.create(BASE + "internal-error");
  static final URI NOT_ACCEPTABLE = URI.create(BASE + "not-acceptable");
  static final URI PAYLOAD_TOO_LARGE = URI.create(BASE + "payload-too-large");
  static final URI MALFORMED_REQUEST = URI.create(BASE + "malformed-request");

  /**
   * The type of an error known only by its status: Spring's own refusals (a 404 for no handler, a
   * 406) and the container's (a request line it cannot parse). One type per status, so even these
   * have a stable {@code type} a client can branch on.
   */
  static URI forStatus(int status) {
    return switch (status) {
      case 400 -> INVALID_REQUEST;
      case 401 -> UNAUTHENTICATED;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 406 -> NOT_ACCEPTABLE;
      case 413 -> PAYLOAD_TOO_LARGE;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      case 429 -> RATE_LIMITED;
      case 503 -> SERVICE_UNAVAILABLE;
      default -> status >= 500 ? INTERNAL : URI.create(BASE + "http-" + status);
    };
  }
}
