package dev.ttsapi.request;

/** A pagination cursor this service did not hand out. */
public class InvalidCursorException extends RuntimeException {

  public InvalidCursorException(String cursor) {
    super("cursor '" + cursor + "' is not one this service gave out");
  }
}
