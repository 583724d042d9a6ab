package dev.ttsapi.maintenance;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Requests of a month long past, written straight into the tables, for retention's tests. */
final class OldRequests {

  private static final DateTimeFormatter PARTITION =
      DateTimeFormatter.ofPattern("'requests_y'yyyy'm'MM");

  private final JdbcClient jdbc;

  OldRequests(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  static String partitionOf(YearMonth month) {
    return month.format(PARTITION);
  }

  /** Makes the month's partition of requests, if there is none yet; returns its name. */
  String partition(YearMonth month) {
    OffsetDateTime start = month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    jdbc.sql(
            "CREATE TABLE IF NOT EXISTS "
                + partitionOf(month)
                + " PARTITION OF requests FOR VALUES FROM ('"
                + start
                + "') TO ('"
                + start.plusMonths(1)
                + "')")
        .update();
    return partitionOf(month);
  }

  /** A time inside the month. */
  static Instant during(YearMonth month) {
    return month.atDay(3).atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  /** Indexes stored audio the way a completed request does. */
  void cacheAudio(String key) {
    jdbc.sql(
            "INSERT INTO audio_cache (content_key, format, bytes, duration_ms)"
                + " VALUES (:key, 'wav', 4, 1)")
        .param("key", key)
        .update();
  }

  void completedRequest(Instant createdAt, String contentKey) {
    OffsetDateTime at = createdAt.atOffset(ZoneOffset.UTC);
    jdbc.sql(
            """
            INSERT INTO requests (id, created_at, user_id, status, priority, text, text_length,
              language, voice, speed, pitch, format, content_key, updated_at)
            VALUES (:id, :at, :user, 'completed', 'normal', 'old', 3, 'en-US',
              'mary:cmu-slt-hsmm', 1, 0, 'wav', :key, :at)
            """)
        .param("id", UUID.randomUUID())
        .param("at", at)
        .param("user", UUID.randomUUID())
        .param("key", contentKey)
        .update();
  }

  void event(Instant at) {
    jdbc.sql("INSERT INTO logs (request_id, timestamp, event) VALUES (:id, :at, 'queued')")
        .param("id", UUID.randomUUID())
        .param("at", at.atOffset(ZoneOffset.UTC))
        .update();
  }

  long cacheEntries(String key) {
    return jdbc.sql("SELECT count(*) FROM audio_cache WHERE content_key = :key")
        .param("key", key)
        .query(Long.class)
        .single();
  }
}
