package dev.ttsapi.request;

import java.util.OptionalInt;

/** The text is empty once normalized, or longer than allowed. */
public class InvalidTextException extends RuntimeException {

  private final Integer maxCharacters;

  public InvalidTextException(String message) {
    this(message, null);
  }

  private InvalidTextException(String message, Integer maxCharacters) {
    super(message);
    this.maxCharacters = maxCharacters;
  }

  /** A text of {@code length} characters where at most {@code limit} are taken. */
  static InvalidTextException tooLong(String what, int length, int limit) {
    return new InvalidTextException(
        what + " " + length + " characters; the limit is " + limit, limit);
  }

  /** The limit that was exceeded, when the text was too long: answers carry it for clients. */
  public OptionalInt maxCharacters() {
    return maxCharacters == null ? OptionalInt.empty() : OptionalInt.of(maxCharacters);
  }
}
