package dev.ttsapi.web;

/**
 * No API key, or not a valid one: a 401 challenging for a Bearer key, and for HTTP Basic too on
 * handlers that take the key there ({@link KeyOutsideHeader}), so a client that can only answer a
 * Basic challenge (Java's {@code HttpURLConnection} with an {@code Authenticator}) sends it.
 */
public class UnauthenticatedException extends RuntimeException {

  private final boolean basicChallenge;

  public UnauthenticatedException(String message) {
    this(message, false);
  }

  UnauthenticatedException(String message, boolean basicChallenge) {
    super(message);
    this.basicChallenge = basicChallenge;
  }

  boolean basicChallenge() {
    return basicChallenge;
  }
}
