package dev.ttsapi.request;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.UUIDClock;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Request ids are UUIDv7: time-ordered, so inserts append to the index, and the creation time —
 * hence the month partition — can be read back from the id.
 */
public final class RequestIds {

  private final TimeBasedEpochGenerator generator;

  public RequestIds(Clock clock) {
    this.generator =
        Generators.timeBasedEpochGenerator(
            new SecureRandom(),
            new UUIDClock() {
              @Override
              public long currentTimeMillis() {
                return clock.millis();
              }
            });
  }

  public UUID next() {
    return generator.generate();
  }

  /** The creation time stored in a UUIDv7, to the millisecond. */
  public static Instant createdAt(UUID id) {
    return Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16);
  }

  /** Parses a client-supplied id; anything but a UUIDv7 is empty (and so a 404). */
  public static Optional<UUID> parse(String value) {
    try {
      UUID id = UUID.fromString(value);
      return id.version() == 7 ? Optional.of(id) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
