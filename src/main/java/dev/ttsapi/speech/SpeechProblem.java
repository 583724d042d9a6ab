package dev.ttsapi.speech;

import java.time.Duration;
import org.springframework.http.HttpStatus;

/**
 * A speech request refused before any audio was sent; answered as a problem detail that also
 * carries OpenAI's {@code error} object, so OpenAI's SDKs show its message.
 */
class SpeechProblem extends RuntimeException {

  private final HttpStatus status;
  private final String type;
  private final String param;
  private final Duration retryAfter;

  private SpeechProblem(
      HttpStatus status, String type, String param, String message, Duration retryAfter) {
    super(message);
    this.status = status;
    this.type = type;
    this.param = param;
    this.retryAfter = retryAfter;
  }

  static SpeechProblem invalid(String param, String message) {
    return new SpeechProblem(HttpStatus.BAD_REQUEST, "invalid-request", param, message, null);
  }

  /** The input holds nothing the voice can say; {@code type} as for {@code /tts/request}. */
  static SpeechProblem nothingToSpeak(String message) {
    return new SpeechProblem(HttpStatus.BAD_REQUEST, "nothing-to-speak", "input", message, null);
  }

  static SpeechProblem unavailable(String message) {
    return new SpeechProblem(
        HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", null, message, null);
  }

  /** The user holds as many open streams as they may; the same type as the event streams' 429. */
  static SpeechProblem tooManyStreams(String message, Duration retryAfter) {
    return new SpeechProblem(
        HttpStatus.TOO_MANY_REQUESTS, "too-many-streams", null, message, retryAfter);
  }

  HttpStatus status() {
    return status;
  }

  String type() {
    return type;
  }

  String param() {
    return param;
  }

  /** When to ask again, or null when asking again as is will not help. */
  Duration retryAfter() {
    return retryAfter;
  }
}
