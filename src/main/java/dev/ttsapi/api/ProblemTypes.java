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
  static final URI SERVICE_UNAVAILABLE = URI.create(BASE + "service-unavailable");
  static final URI RATE_LIMITED = URI.create(BASE + "rate-limited");
  static final URI QUOTA_EXCEEDED = URI.create(BASE + "quota-exceeded");
  static final URI IDEMPOTENCY_KEY_REUSED = URI.create(BASE + "idempotency-key-reused");
  static final URI IDEMPOTENCY_KEY_IN_PROGRESS = URI.create(BASE + "idempotency-key-in-progress");
  static final URI INTERNAL = URI.create(BASE + "internal-error");
}
