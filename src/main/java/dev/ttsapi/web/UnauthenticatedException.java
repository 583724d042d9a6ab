package dev.ttsapi.web;

/** No API key, or one that is unknown or revoked (a 401). */
public class UnauthenticatedException extends RuntimeException {

  public UnauthenticatedException(String message) {
    super(message);
  }
}
