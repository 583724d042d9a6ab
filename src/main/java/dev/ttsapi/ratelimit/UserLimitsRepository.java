package dev.ttsapi.ratelimit;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code user_limits} table: limits an admin set for one user; NULL means the default. */
@Repository
class UserLimitsRepository {

  record Row(Integer requestsPerMinute, Long charactersPerDay, Integer pollRequestsPerMinute) {}

  private final JdbcClient jdbc;

  UserLimitsRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<Row> find(UUID userId) {
    return jdbc.sql(
            """
            SELECT requests_per_minute, characters_per_day, poll_requests_per_minute
              FROM user_limits WHERE user_id = ?
            """)
        .param(userId)
        .query(
            (rs, n) ->
                new Row(
                    (Integer) rs.getObject("requests_per_minute"),
                    (Long) rs.getObject("characters_per_day"),
                    (Integer) rs.getObject("poll_requests_per_minute")))
        .optional();
  }

  void upsert(
      UUID userId,
      Integer requestsPerMinute,
      Long charactersPerDay,
      Integer pollRequestsPerMinute) {
    jdbc.sql(
            """
            INSERT INTO user_limits
                   (user_id, requests_per_minute, characters_per_day, poll_requests_per_minute,
                    updated_at)
            VALUES (?, ?, ?, ?, now())
            ON CONFLICT (user_id) DO UPDATE
               SET requests_per_minute = EXCLUDED.requests_per_minute,
                   characters_per_day = EXCLUDED.characters_per_day,
                   poll_requests_per_minute = EXCLUDED.poll_requests_per_minute,
                   updated_at = now()
            """)
        .param(userId)
        .param(requestsPerMinute)
        .param(charactersPerDay)
        .param(pollRequestsPerMinute)
        .update();
  }
}
