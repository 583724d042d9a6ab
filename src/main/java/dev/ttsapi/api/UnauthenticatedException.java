package dev.ttsapi.api;

/** No API key, or one that is unknown or revoked (a 401). */
class UnauthenticatedException extends RuntimeException {

  UnauthenticatedException(String message) {
    super(message);
  }
}
