package dev.ttsapi.speech;

import org.springframework.http.HttpStatus;

/**
 * A speech request refused before any audio was sent; answered as a problem detail that also
 * carries OpenAI's {@code error} object, so OpenAI's SDKs show its message.
 */
class SpeechProblem extends RuntimeException {

  private final HttpStatus status;
  private final String type;
  private final String param;

  SpeechProblem(HttpStatus status, String type, String param, String message) {
    super(message);
    this.status = status;
    this.type = type;
    this.param = param;
  }

  static SpeechProblem invalid(String param, String message) {
    return new SpeechProblem(HttpStatus.BAD_REQUEST, "invalid-request", param, message);
  }

  /** The input holds nothing the voice can say; {@code type} as for {@code /tts/request}. */
  static SpeechProblem nothingToSpeak(String message) {
    return new SpeechProblem(HttpStatus.BAD_REQUEST, "nothing-to-speak", "input", message);
  }

  static SpeechProblem unavailable(String message) {
    return new SpeechProblem(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", null, message);
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
}
