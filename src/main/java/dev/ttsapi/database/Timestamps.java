package dev.ttsapi.database;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Instants as {@code timestamptz} parameters of a statement. */
public final class Timestamps {

  private Timestamps() {}

  /**
   * The instant at UTC: PgJDBC binds an {@link OffsetDateTime} as {@code timestamptz}, and has no
   * binding for an {@link Instant}. Null stays null (a column left empty).
   */
  public static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
