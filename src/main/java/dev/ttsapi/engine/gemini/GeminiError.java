package dev.ttsapi.engine.gemini;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an error answer of the Gemini API says, read from its body ({@code google.rpc.Status}):
 * {@code {"error": {"code", "message", "status", "details": [...]}}}. The SDK's exception keeps
 * only the message, so the body is read here for the details that decide what to do next: {@code
 * google.rpc.RetryInfo.retryDelay} (how long to wait) and {@code google.rpc.QuotaFailure} (which
 * quota ran out).
 *
 * @param httpCode the HTTP status
 * @param status the RPC status ({@code RESOURCE_EXHAUSTED}), empty when the body had none
 * @param message the human-readable message
 * @param retryDelay how long Gemini asks the caller to wait, when it says
 * @param quotaIds the {@code quotaId}s (or metrics) of the quota violations
 */
record GeminiError(
    int httpCode,
    String status,
    String message,
    Optional<Duration> retryDelay,
    List<String> quotaIds) {

  /**
   * A plain mapper on purpose: this reads Google's wire format, not ours, so the application's
   * mapper (snake_case names, strict scalar types) does not apply to it.
   */
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Reads an error body; anything unreadable gives an error with only the HTTP code. */
  static GeminiError parse(int httpCode, String body) {
    if (body == null || body.isBlank()) {
      return new GeminiError(httpCode, "", "", Optional.empty(), List.of());
    }
    JsonNode error;
    try {
      error = JSON.readTree(body).path("error");
    } catch (JacksonException e) {
      return new GeminiError(httpCode, "", abbreviate(body), Optional.empty(), List.of());
    }
    Duration retryDelay = null;
    List<String> quotaIds = new ArrayList<>();
    for (JsonNode detail : error.path("details")) {
      String type = detail.path("@type").asString("");
      if (type.endsWith("google.rpc.RetryInfo")) {
        retryDelay = parseDuration(detail.path("retryDelay").asString(""));
      } else if (type.endsWith("google.rpc.QuotaFailure")) {
        for (JsonNode violation : detail.path("violations")) {
          String id = violation.path("quotaId").asString("");
          quotaIds.add(id.isEmpty() ? violation.path("quotaMetric").asString("") : id);
        }
      }
    }
    return new GeminiError(
        httpCode,
        error.path("status").asString(""),
        error.path("message").asString(""),
        Optional.ofNullable(retryDelay),
        List.copyOf(quotaIds));
  }

  /**
   * A per-day quota ran out ({@code GenerateRequestsPerDayPerProjectPerModel-FreeTier}): waiting
   * seconds will not help, so the caller must not retry.
   */
  boolean dailyQuotaExhausted() {
    return httpCode == 429
        && quotaIds.stream().anyMatch(id -> id.toLowerCase(Locale.ROOT).contains("perday"));
  }

  String describe() {
    StringBuilder s = new StringBuilder("HTTP ").append(httpCode);
    if (!status.isEmpty()) {
      s.append(' ').append(status);
    }
    if (!message.isEmpty()) {
      s.append(": ").append(abbreviate(message));
    }
    return s.toString();
  }

  /** A protobuf JSON duration: decimal seconds and an {@code s}, {@code "0.2s"}, {@code "43s"}. */
  static Duration parseDuration(String text) {
    if (!text.endsWith("s")) {
      return null;
    }
    try {
      BigDecimal seconds = new BigDecimal(text.substring(0, text.length() - 1));
      if (seconds.signum() < 0) {
        return null;
      }
      return Duration.ofNanos(seconds.movePointRight(9).longValue());
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }
}
