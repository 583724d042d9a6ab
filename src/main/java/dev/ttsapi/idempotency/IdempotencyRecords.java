package dev.ttsapi.idempotency;

import static dev.ttsapi.database.Timestamps.utc;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The keys submits were accepted under, in PostgreSQL ({@code idempotency_keys}, migration V130):
 * written in the submit's own transaction, so a key and its request are committed together or not
 * at all.
 */
@Repository
class IdempotencyRecords {

  /** A key's live record: the body it was accepted with and the request it made. */
  record Recorded(String fingerprint, UUID requestId) {}

  private final JdbcClient jdbc;

  IdempotencyRecords(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Records the key for {@code requestId}, taking it over from a record made before {@code
   * expiredBefore}. Returns the live record that holds the key instead, if there is one (then
   * nothing is written). A concurrent transaction recording the same key is waited for.
   */
  Optional<Recorded> record(
      UUID userId,
      String keyHash,
      String fingerprint,
      UUID requestId,
      Instant createdAt,
      Instant expiredBefore) {
    int written =
        jdbc.sql(
                """
                INSERT INTO idempotency_keys
                    (user_id, key_hash, fingerprint, request_id, created_at)
                VALUES (:user, :key, :fingerprint, :request, :createdAt)
                ON CONFLICT (user_id, key_hash) DO UPDATE
                    SET fingerprint = EXCLUDED.fingerprint,
                        request_id = EXCLUDED.request_id,
                        created_at = EXCLUDED.created_at
                    WHERE idempotency_keys.created_at < :expiredBefore
                """)
            .param("user", userId)
            .param("key", keyHash)
            .param("fingerprint", fingerprint)
            .param("request", requestId)
            .param("createdAt", utc(createdAt))
            .param("expiredBefore", utc(expiredBefore))
            .update();
    if (written == 1) {
      return Optional.empty();
    }
    // The conflict left the live row locked by this transaction: it cannot change under the read.
    return jdbc.sql(
            """
            SELECT fingerprint, request_id FROM idempotency_keys
            WHERE user_id = :user AND key_hash = :key
            """)
        .param("user", userId)
        .param("key", keyHash)
        .query((rs, n) -> new Recorded(rs.getString(1), rs.getObject(2, UUID.class)))
        .optional();
  }

  /** Deletes up to {@code limit} records made before {@code before}; returns how many. */
  int deleteExpired(Instant before, int limit) {
    return jdbc.sql(
            """
            DELETE FROM idempotency_keys WHERE ctid IN (
                SELECT ctid FROM idempotency_keys WHERE created_at < :before LIMIT :limit)
            """)
        .param("before", utc(before))
        .param("limit", limit)
        .update();
  }
}
