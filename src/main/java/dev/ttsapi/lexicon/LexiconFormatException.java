package dev.ttsapi.lexicon;

/**
 * An uploaded lexicon that cannot be read or breaks a limit. The message says what is wrong and
 * where (a line and column for XML, an index for JSON), for a 400 answer.
 */
class LexiconFormatException extends RuntimeException {

  LexiconFormatException(String message) {
    super(message);
  }

  LexiconFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
