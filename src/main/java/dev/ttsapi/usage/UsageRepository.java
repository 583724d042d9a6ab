package dev.ttsapi.usage;

import dev.ttsapi.database.DatabaseRouter;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Repository;

/**
 * Reads billable usage from {@code usage_daily}; the request package writes it on completion. Reads
 * go to a read replica when one has the user's writes (see {@link DatabaseRouter}).
 */
@Repository
class UsageRepository {

  /** One user's usage on one UTC day. */
  record DailyUsage(
      UUID userId,
      String userName,
      LocalDate day,
      int requests,
      long characters,
      double audioSeconds) {}

  private static final String SELECT =
      """
      SELECT u.user_id, us.name, u.day, u.requests, u.characters, u.audio_seconds
      FROM usage_daily u JOIN users us ON us.id = u.user_id
      """;

  private final DatabaseRouter router;

  UsageRepository(DatabaseRouter router) {
    this.router = router;
  }

  /** The user's days from {@code from} to {@code to} inclusive, oldest first (primary key scan). */
  List<DailyUsage> forUser(UUID userId, LocalDate from, LocalDate to) {
    return router.read(
        userId,
        db ->
            db.sql(
                    SELECT
                        + " WHERE u.user_id = :user AND u.day BETWEEN :from AND :to ORDER BY u.day")
                .param("user", userId)
                .param("from", from)
                .param("to", to)
                .query(UsageRepository::map)
                .list());
  }

  /** Every user's usage on one day, heaviest first. */
  List<DailyUsage> forDay(LocalDate day) {
    return router.read(
        null,
        db ->
            db.sql(SELECT + " WHERE u.day = :day ORDER BY u.characters DESC, us.name")
                .param("day", day)
                .query(UsageRepository::map)
                .list());
  }

  private static DailyUsage map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new DailyUsage(
        rs.getObject("user_id", UUID.class),
        rs.getString("name"),
        rs.getObject("day", LocalDate.class),
        rs.getInt("requests"),
        rs.getLong("characters"),
        rs.getDouble("audio_seconds"));
  }
}
