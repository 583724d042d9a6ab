package dev.ttsapi.ssml;

/**
 * SSML that cannot be spoken as it is written: not well-formed XML, a DOCTYPE or entity, no {@code
 * <speak>} root, or a value out of range. Answered as a 400 problem naming the line and column.
 */
public class InvalidSsmlException extends RuntimeException {

  private final int line;
  private final int column;

  public InvalidSsmlException(String message, int line, int column) {
    super("SSML line " + line + ", column " + column + ": " + message);
    this.line = line;
    this.column = column;
  }

  /** 1-based line of the error, or -1 when the parser could not tell. */
  public int line() {
    return line;
  }

  /** 1-based column of the error, or -1 when the parser could not tell. */
  public int column() {
    return column;
  }
}
