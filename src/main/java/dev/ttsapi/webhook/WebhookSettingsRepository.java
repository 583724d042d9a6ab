package dev.ttsapi.webhook;

import static dev.ttsapi.database.Timestamps.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of users' webhook settings: default URLs, signing secrets and requests' own URLs. */
@Repository
class WebhookSettingsRepository {

  /** A signing secret; {@code expiresAt} is null for the current one. */
  record Secret(String secret, Instant createdAt, Instant expiresAt) {}

  private final JdbcClient jdbc;

  WebhookSettingsRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<String> defaultUrl(UUID userId) {
    return jdbc.sql("SELECT url FROM webhook_endpoints WHERE user_id = :user")
        .param("user", userId)
        .query(String.class)
        .optional();
  }

  void setDefaultUrl(UUID userId, String url, Instant now) {
    jdbc.sql(
            """
            INSERT INTO webhook_endpoints (user_id, url, updated_at) VALUES (:user, :url, :now)
            ON CONFLICT (user_id) DO UPDATE SET url = EXCLUDED.url, updated_at = EXCLUDED.updated_at
            """)
        .param("user", userId)
        .param("url", url)
        .param("now", utc(now))
        .update();
  }

  boolean clearDefaultUrl(UUID userId) {
    return jdbc.sql("DELETE FROM webhook_endpoints WHERE user_id = :user")
            .param("user", userId)
            .update()
        > 0;
  }

  /** The current secret and those still valid at {@code now}, newest first. */
  List<Secret> validSecrets(UUID userId, Instant now) {
    return jdbc.sql(
            """
            SELECT secret, created_at, expires_at FROM webhook_secrets
            WHERE user_id = :user AND (expires_at IS NULL OR expires_at > :now)
            ORDER BY expires_at IS NULL DESC, created_at DESC
            """)
        .param("user", userId)
        .param("now", utc(now))
        .query(WebhookSettingsRepository::secret)
        .list();
  }

  /** Adds {@code secret} as the current one unless the user has one already. */
  void addFirstSecret(UUID userId, String secret, Instant now) {
    jdbc.sql(
            """
            INSERT INTO webhook_secrets (user_id, secret, created_at) VALUES (:user, :secret, :now)
            ON CONFLICT (user_id) WHERE expires_at IS NULL DO NOTHING
            """)
        .param("user", userId)
        .param("secret", secret)
        .param("now", utc(now))
        .update();
  }

  /**
   * Makes {@code secret} the current one: the one it replaces stays valid until {@code
   * previousUntil}, any older one ends now, so two at most are valid at once. In the caller's
   * transaction; the advisory lock makes concurrent rotations of one user take turns.
   */
  void rotate(UUID userId, String secret, Instant now, Instant previousUntil) {
    jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('tts-webhook-secret'), hashtext(:user))")
        .param("user", userId.toString())
        .query((rs, n) -> 0)
        .list();
    jdbc.sql(
            "UPDATE webhook_secrets SET expires_at = :now"
                + " WHERE user_id = :user AND expires_at > :now")
        .param("user", userId)
        .param("now", utc(now))
        .update();
    jdbc.sql(
            "UPDATE webhook_secrets SET expires_at = :until"
                + " WHERE user_id = :user AND expires_at IS NULL")
        .param("user", userId)
        .param("until", utc(previousUntil))
        .update();
    jdbc.sql(
            "INSERT INTO webhook_secrets (user_id, secret, created_at) VALUES (:user, :secret, :now)")
        .param("user", userId)
        .param("secret", secret)
        .param("now", utc(now))
        .update();
  }

  /** Records the callback URL a new request named (in the transaction inserting it). */
  void addRequestCallback(UUID requestId, UUID userId, String url, Instant createdAt) {
    jdbc.sql(
            """
            INSERT INTO request_callbacks (request_id, user_id, url, created_at)
            VALUES (:id, :user, :url, :createdAt)
            """)
        .param("id", requestId)
        .param("user", userId)
        .param("url", url)
        .param("createdAt", utc(createdAt))
        .update();
  }

  /** Forgets secrets expired and request callbacks made before {@code before}. */
  int deleteOlderThan(Instant before) {
    int secrets =
        jdbc.sql("DELETE FROM webhook_secrets WHERE expires_at < :before")
            .param("before", utc(before))
            .update();
    int callbacks =
        jdbc.sql("DELETE FROM request_callbacks WHERE created_at < :before")
            .param("before", utc(before))
            .update();
    return secrets + callbacks;
  }

  private static Secret secret(ResultSet rs, int row) throws SQLException {
    OffsetDateTime expires = rs.getObject("expires_at", OffsetDateTime.class);
    return new Secret(
        rs.getString("secret"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        expires == null ? null : expires.toInstant());
  }
}
