package dev.ttsapi.speech;

import dev.ttsapi.web.Problem;
import dev.ttsapi.web.ProblemType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The speech endpoint's refusals: problem details like every other answer, which also carry
 * OpenAI's {@code error} object ({@code message}, {@code type}, {@code param}, {@code code}), so
 * OpenAI's SDKs show the message.
 */
final class SpeechProblem {

  private SpeechProblem() {}

  static Problem invalid(String param, String message) {
    return openAi(
        new Problem(ProblemType.INVALID_REQUEST, message), "invalid_request_error", param, null);
  }

  /** The input holds nothing the voice can say; {@code type} as for {@code /tts/request}. */
  static Problem nothingToSpeak(String message) {
    return openAi(
        new Problem(ProblemType.NOTHING_TO_SPEAK, message), "invalid_request_error", "input", null);
  }

  static Problem unavailable(String message) {
    return openAi(
        new Problem(ProblemType.SERVICE_UNAVAILABLE, message), "server_error", null, null);
  }

  /** The user holds as many open streams as they may; OpenAI's 429s say type "requests". */
  static Problem tooManyStreams(String message, Duration retryAfter) {
    return openAi(
            new Problem(ProblemType.TOO_MANY_STREAMS, message),
            "requests",
            null,
            "rate_limit_exceeded")
        .retryAfter(retryAfter);
  }

  private static Problem openAi(Problem problem, String type, String param, String code) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("message", problem.getMessage());
    error.put("type", type);
    error.put("param", param);
    error.put("code", code);
    if (param != null) {
      problem.with("param", param);
    }
    return problem.with("error", error);
  }
}
