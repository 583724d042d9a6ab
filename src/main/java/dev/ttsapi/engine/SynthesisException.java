package dev.ttsapi.engine;

/** An engine could not turn a chunk of text into audio. The message is shown to the client. */
public class SynthesisException extends RuntimeException {

  public SynthesisException(String message) {
    super(message);
  }

  public SynthesisException(String message, Throwable cause) {
    super(message, cause);
  }
}
