package dev.ttsapi.queue;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Queue priority; each has its own stream. High is served before normal before low. */
public enum Priority {
  HIGH,
  NORMAL,
  LOW;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Priority> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(p -> p.wireName().equals(wanted)).findFirst();
  }
}
