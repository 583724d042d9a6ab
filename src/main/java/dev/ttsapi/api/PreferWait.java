package dev.ttsapi.api;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code wait} preference of RFC 7240: {@code Prefer: wait=10} asks the server to answer within
 * 10 seconds. A preference the server cannot read is ignored, as the RFC asks (never a 400).
 */
final class PreferWait {

  static final String HEADER = "Prefer";
  static final String APPLIED_HEADER = "Preference-Applied";

  private PreferWait() {}

  /**
   * The wait asked for in the {@code Prefer} headers, cut to {@code max}; empty if none is asked
   * for, or it is not a whole number of seconds above zero.
   */
  static Optional<Duration> parse(List<String> headers, Duration max) {
    for (String header : headers) {
      // Preferences are separated by commas; each may carry parameters after semicolons.
      for (String preference : header.split(",")) {
        String token = preference.split(";", 2)[0].trim();
        int equals = token.indexOf('=');
        if (equals < 0
            || !token.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals("wait")) {
          continue;
        }
        String value = token.substring(equals + 1).trim();
        if (value.length() > 1 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        if (!value.matches("[0-9]{1,9}")) {
          return Optional.empty();
        }
        long seconds = Long.parseLong(value);
        if (seconds == 0) {
          return Optional.empty();
        }
        Duration asked = Duration.ofSeconds(seconds);
        return Optional.of(asked.compareTo(max) > 0 ? max : asked);
      }
    }
    return Optional.empty();
  }

  /** The {@code Preference-Applied} value for a wait honoured. */
  static String applied(Duration wait) {
    return "wait=" + wait.toSeconds();
  }
}
