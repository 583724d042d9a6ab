package dev.ttsapi.request;

import java.util.Locale;

/** Where a request is in its life. Changes happen only through a {@link Transition}. */
public enum RequestStatus {
  QUEUED,
  PROCESSING,
  COMPLETED,
  FAILED,
  CANCELLED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean terminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  public static RequestStatus fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
