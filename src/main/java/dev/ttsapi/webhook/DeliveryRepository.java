package dev.ttsapi.webhook;

import static dev.ttsapi.database.Timestamps.utc;

import dev.ttsapi.webhook.DeliveryLog.Attempt;
import dev.ttsapi.webhook.DeliveryLog.Delivery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL of the outbox ({@code webhook_deliveries}) and its log ({@code webhook_attempts}). Rows are
 * written by the trigger of V42; workers claim, attempt and settle them here.
 */
@Repository
class DeliveryRepository {

  /**
   * A delivery a worker has claimed for one attempt.
   *
   * @param attempt this attempt's number: the fencing token its result must match
   * @param payload the body fixed by an earlier attempt, or null on the first
   */
  record Claimed(
      UUID id,
      UUID userId,
      String subject,
      UUID subjectId,
      String event,
      String url,
      int attempt,
      Instant createdAt,
      String payload) {}

  /** What an attempt came to. */
  record Result(Outcome outcome, Integer statusCode, double latencyMs, String error) {}

  private final JdbcClient jdbc;

  DeliveryRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Claims up to {@code limit} due deliveries for one attempt each, in one statement: rows another
   * worker is claiming are skipped (SKIP LOCKED), each claimed row is due again only at {@code
   * leaseUntil} (so a worker that dies leaves it to another then), its attempt is logged as
   * started, and an earlier attempt that never recorded an answer is marked lost.
   */
  List<Claimed> claim(int limit, Instant now, Instant leaseUntil, String node) {
    return jdbc.sql(
            """
            WITH due AS (
              SELECT id FROM webhook_deliveries
              WHERE state = 'pending' AND next_attempt_at <= :now
              ORDER BY next_attempt_at
              LIMIT :limit
              FOR UPDATE SKIP LOCKED),
            claimed AS (
              UPDATE webhook_deliveries d
              SET attempts = d.attempts + 1, next_attempt_at = :leaseUntil
              FROM due WHERE d.id = due.id
              RETURNING d.*),
            lost AS (
              UPDATE webhook_attempts a
              SET outcome = 'lost', error = 'the node making this attempt stopped before it answered'
              FROM claimed WHERE a.delivery_id = claimed.id AND a.outcome IS NULL),
            started AS (
              INSERT INTO webhook_attempts (delivery_id, attempt, started_at, node)
              SELECT id, attempts, :now, :node FROM claimed)
            SELECT id, user_id, subject, subject_id, event, url, attempts, created_at, payload
            FROM claimed
            """)
        .param("now", utc(now))
        .param("leaseUntil", utc(leaseUntil))
        .param("limit", limit)
        .param("node", node)
        .query(
            (rs, row) ->
                new Claimed(
                    rs.getObject("id", UUID.class),
                    rs.getObject("user_id", UUID.class),
                    rs.getString("subject"),
                    rs.getObject("subject_id", UUID.class),
                    rs.getString("event"),
                    rs.getString("url"),
                    rs.getInt("attempts"),
                    instant(rs, "created_at"),
                    rs.getString("payload")))
        .list();
  }

  /** Fixes the body on the first attempt; the body stored first wins and is returned. */
  String fixPayload(UUID id, String payload) {
    return jdbc.sql(
            """
            WITH fixed AS (
              UPDATE webhook_deliveries SET payload = :payload
              WHERE id = :id AND payload IS NULL RETURNING payload)
            SELECT payload FROM fixed
            UNION ALL
            SELECT payload FROM webhook_deliveries WHERE id = :id AND NOT EXISTS (SELECT 1 FROM fixed)
            """)
        .param("id", id)
        .param("payload", payload)
        .query(String.class)
        .single();
  }

  /**
   * Records the attempt's result and settles the delivery: {@code delivered}, due again at {@code
   * next}, or {@code failed} when {@code next} is null. Only while the claim is still this
   * attempt's: a worker whose lease ran out and whose delivery was claimed again changes nothing
   * but its own log line.
   */
  void settle(Claimed claimed, Result result, Instant now, Instant next) {
    String state =
        result.outcome() == Outcome.DELIVERED ? "delivered" : next == null ? "failed" : "pending";
    jdbc.sql(
            """
            WITH logged AS (
              UPDATE webhook_attempts
              SET outcome = :outcome, status_code = :statusCode, latency_ms = :latency, error = :error
              WHERE delivery_id = :id AND attempt = :attempt AND outcome IS NULL)
            UPDATE webhook_deliveries
            SET state = :state,
              next_attempt_at = COALESCE(CAST(:next AS timestamptz), next_attempt_at),
              ended_at = CASE WHEN :state = 'pending' THEN NULL ELSE CAST(:now AS timestamptz) END
            WHERE id = :id AND attempts = :attempt AND state = 'pending'
            """)
        .param("id", claimed.id())
        .param("attempt", claimed.attempt())
        .param("outcome", result.outcome().wireName())
        .param("statusCode", result.statusCode(), java.sql.Types.INTEGER)
        .param("latency", result.latencyMs())
        .param("error", result.error(), java.sql.Types.VARCHAR)
        .param("state", state)
        .param("next", utc(next), java.sql.Types.TIMESTAMP_WITH_TIMEZONE)
        .param("now", utc(now))
        .update();
  }

  /** The deliveries of a subject's events with their attempts, oldest first (two queries). */
  List<Delivery> log(UUID subjectId) {
    Map<UUID, List<Attempt>> attempts = new LinkedHashMap<>();
    jdbc.sql(
            """
            SELECT a.delivery_id, a.attempt, a.started_at, a.outcome, a.status_code, a.latency_ms,
              a.error
            FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
            WHERE d.subject_id = :subject ORDER BY a.delivery_id, a.attempt
            """)
        .param("subject", subjectId)
        .query(
            rs -> {
              double latency = rs.getDouble("latency_ms");
              boolean noLatency = rs.wasNull();
              attempts
                  .computeIfAbsent(rs.getObject("delivery_id", UUID.class), k -> new ArrayList<>())
                  .add(
                      new Attempt(
                          rs.getInt("attempt"),
                          instant(rs, "started_at"),
                          rs.getString("outcome"),
                          (Integer) rs.getObject("status_code"),
                          noLatency ? null : latency,
                          rs.getString("error")));
            });
    return jdbc.sql(
            """
            SELECT id, event, url, state, created_at, next_attempt_at, ended_at
            FROM webhook_deliveries WHERE subject_id = :subject ORDER BY created_at, id
            """)
        .param("subject", subjectId)
        .query(
            (rs, row) -> {
              UUID id = rs.getObject("id", UUID.class);
              String state = rs.getString("state");
              return new Delivery(
                  id,
                  rs.getString("event"),
                  rs.getString("url"),
                  state,
                  instant(rs, "created_at"),
                  "pending".equals(state) ? instant(rs, "next_attempt_at") : null,
                  instant(rs, "ended_at"),
                  attempts.getOrDefault(id, List.of()));
            })
        .list();
  }

  /** Deletes deliveries that ended before {@code before}, with their attempts. */
  int deleteEndedBefore(Instant before) {
    return jdbc.sql(
            "DELETE FROM webhook_deliveries WHERE state <> 'pending' AND ended_at < :before")
        .param("before", utc(before))
        .update();
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
