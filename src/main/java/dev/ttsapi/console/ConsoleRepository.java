package dev.ttsapi.console;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The admin page's reads of PostgreSQL: recent outcomes, cache hits, today's usage. */
@Repository
class ConsoleRepository {

  private final JdbcClient jdbc;

  ConsoleRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  record Outcomes(long completed, long failed) {}

  /**
   * Jobs that ended since {@code since}, cache hits left out (they never reached a worker). The
   * {@code created_at} bound lets PostgreSQL prune to the current month partitions and use the
   * (status, created_at) index: no job runs for a day.
   */
  Outcomes outcomesSince(Instant since) {
    return jdbc.sql(
            """
            SELECT count(*) FILTER (WHERE status = 'completed') AS completed,
                   count(*) FILTER (WHERE status = 'failed') AS failed
              FROM requests
             WHERE status IN ('completed', 'failed')
               AND created_at >= :created_after
               AND completed_at >= :since
               AND NOT cache_hit
            """)
        .param("created_after", java.sql.Timestamp.from(since.minusSeconds(86_400)))
        .param("since", java.sql.Timestamp.from(since))
        .query((rs, n) -> new Outcomes(rs.getLong("completed"), rs.getLong("failed")))
        .single();
  }

  record CacheLookups(long hits, long total) {}

  /** Requests since {@code since} answered from stored audio, and all of them. */
  CacheLookups cacheLookupsSince(Instant since) {
    return jdbc.sql(
            """
            SELECT count(*) FILTER (WHERE cache_hit) AS hits, count(*) AS total
              FROM requests
             WHERE created_at >= :since
            """)
        .param("since", java.sql.Timestamp.from(since))
        .query((rs, n) -> new CacheLookups(rs.getLong("hits"), rs.getLong("total")))
        .single();
  }

  record UserUsage(
      String userId, String user, int requests, long characters, double audioSeconds) {}

  /** Every user's billable usage on one UTC day, the busiest first. */
  List<UserUsage> usageOn(LocalDate day) {
    return jdbc.sql(
            """
            SELECT u.user_id, us.name, u.requests, u.characters, u.audio_seconds
              FROM usage_daily u JOIN users us ON us.id = u.user_id
             WHERE u.day = :day
             ORDER BY u.characters DESC, us.name
            """)
        .param("day", day)
        .query(
            (rs, n) ->
                new UserUsage(
                    rs.getString("user_id"),
                    rs.getString("name"),
                    rs.getInt("requests"),
                    rs.getLong("characters"),
                    rs.getDouble("audio_seconds")))
        .list();
  }
}
