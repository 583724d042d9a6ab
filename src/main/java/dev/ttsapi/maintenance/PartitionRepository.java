package dev.ttsapi.maintenance;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The month partitions of the requests table, and the retention of old data. */
@Repository
class PartitionRepository {

  private final JdbcClient jdbc;

  PartitionRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Creates the partitions from this month to {@code monthsAhead} months later that do not exist
   * yet (the SQL function of migration V1); returns how many it created.
   */
  int ensure(int monthsAhead) {
    return jdbc.sql("SELECT ensure_request_partitions(:months)")
        .param("months", monthsAhead)
        .query(Integer.class)
        .single();
  }

  /** Names of the existing partitions, oldest first. */
  List<String> names() {
    return jdbc.sql(
            """
            SELECT c.relname FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            JOIN pg_class p ON p.oid = i.inhparent
            WHERE p.relname = 'requests' ORDER BY c.relname
            """)
        .query(String.class)
        .list();
  }

  private static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("'requests_y'yyyy'm'MM");

  /** A month partition: its table name and the month it holds (UTC). */
  record MonthPartition(String name, YearMonth month) {
    Instant end() {
      return month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }
  }

  /** The month partitions wholly before {@code cutoff}, oldest first. */
  List<MonthPartition> endedBefore(Instant cutoff) {
    return names().stream()
        .map(PartitionRepository::parse)
        .flatMap(Optional::stream)
        .filter(p -> !p.end().isAfter(cutoff))
        .toList();
  }

  private static Optional<MonthPartition> parse(String name) {
    try {
      return Optional.of(new MonthPartition(name, YearMonth.parse(name, NAME)));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty(); // not one of ours
    }
  }

  /**
   * Content keys used by requests in the partition and by no request created after it. Content keys
   * are shared (identical requests reuse audio), so a key a newer request still uses stays. There
   * is no index on content_key: this runs once per dropped partition, in maintenance, where a scan
   * of the newer partitions is acceptable.
   */
  List<String> audioOnlyIn(MonthPartition partition) {
    return jdbc.sql(
            "SELECT DISTINCT p.content_key FROM "
                + partition.name()
                + " p WHERE NOT EXISTS (SELECT 1 FROM requests r"
                + " WHERE r.content_key = p.content_key AND r.created_at >= :end)")
        .param("end", partition.end().atOffset(ZoneOffset.UTC))
        .query(String.class)
        .list();
  }

  /** Forgets the cache entries of audio that is about to be deleted. */
  void forgetAudio(List<String> contentKeys) {
    if (contentKeys.isEmpty()) {
      return;
    }
    jdbc.sql("DELETE FROM audio_cache WHERE content_key = ANY(:keys)")
        .param("keys", contentKeys.toArray(String[]::new))
        .update();
  }

  void drop(MonthPartition partition) {
    jdbc.sql("DROP TABLE " + partition.name()).update();
  }

  /** Deletes up to {@code batch} request events older than {@code cutoff}; returns how many. */
  int deleteEventsBefore(Instant cutoff, int batch) {
    return jdbc.sql(
            "DELETE FROM logs WHERE id IN (SELECT id FROM logs WHERE timestamp < :cutoff"
                + " ORDER BY id LIMIT :batch)")
        .param("cutoff", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC))
        .param("batch", batch)
        .update();
  }
}
