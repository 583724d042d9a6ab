package dev.ttsapi.ratelimit;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code user_limits} table: limits an admin set for one user; NULL means the default. */
@Repository
class UserLimitsRepository {

  record Row(Integer requestsPerMinute, Long charactersPerDay) {}

  private final JdbcClient jdbc;

  UserLimitsRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<Row> find(UUID userId) {
    return jdbc.sql(
            "SELECT requests_per_minute, characters_per_day FROM user_limits WHERE user_id = ?")
        .param(userId)
        .query(
            (rs, n) ->
                new Row(
                    (Integer) rs.getObject("requests_per_minute"),
                    (Long) rs.getObject("characters_per_day")))
        .optional();
  }

  void upsert(UUID userId, Integer requestsPerMinute, Long charactersPerDay) {
    jdbc.sql(
            """
            INSERT INTO user_limits (user_id, requests_per_minute, characters_per_day, updated_at)
            VALUES (?, ?, ?, now())
            ON CONFLICT (user_id) DO UPDATE
               SET requests_per_minute = EXCLUDED.requests_per_minute,
                   characters_per_day = EXCLUDED.characters_per_day,
                   updated_at = now()
            """)
        .param(userId)
        .param(requestsPerMinute)
        .param(charactersPerDay)
        .update();
  }
}
