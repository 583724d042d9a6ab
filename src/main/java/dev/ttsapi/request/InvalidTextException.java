package dev.ttsapi.request;

/** The text is empty once normalized, or longer than allowed. */
public class InvalidTextException extends RuntimeException {

  public InvalidTextException(String message) {
    super(message);
  }
}
