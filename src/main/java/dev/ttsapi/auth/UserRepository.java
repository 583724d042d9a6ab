package dev.ttsapi.auth;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** All SQL on users and api_keys. Keys are looked up by their SHA-256 hash only. */
@Repository
class UserRepository {

  private final JdbcClient jdbc;

  UserRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insertUser(UUID id, String name, Caller.Role role) {
    jdbc.sql("INSERT INTO users (id, name, role) VALUES (:id, :name, :role)")
        .param("id", id)
        .param("name", name)
        .param("role", role.name().toLowerCase(Locale.ROOT))
        .update();
  }

  void insertKey(UUID id, UUID userId, byte[] hash, String prefix) {
    jdbc.sql(
            "INSERT INTO api_keys (id, user_id, key_hash, key_prefix)"
                + " VALUES (:id, :userId, :hash, :prefix)")
        .param("id", id)
        .param("userId", userId)
        .param("hash", hash)
        .param("prefix", prefix)
        .update();
  }

  Optional<Caller> findByKeyHash(byte[] hash) {
    return jdbc.sql(
            "SELECT u.id, u.name, u.role FROM api_keys k JOIN users u ON u.id = k.user_id"
                + " WHERE k.key_hash = :hash AND k.revoked_at IS NULL")
        .param("hash", hash)
        .query(UserRepository::caller)
        .optional();
  }

  /** Marks the key revoked; its hash if it existed and was live. */
  Optional<byte[]> revokeKey(UUID keyId) {
    return jdbc.sql(
            "UPDATE api_keys SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL"
                + " RETURNING key_hash")
        .param("id", keyId)
        .query((rs, row) -> rs.getBytes(1))
        .optional();
  }

  Optional<Caller> findUser(UUID id) {
    return jdbc.sql("SELECT id, name, role FROM users WHERE id = :id")
        .param("id", id)
        .query(UserRepository::caller)
        .optional();
  }

  Optional<Caller> findUserByName(String name) {
    return jdbc.sql("SELECT id, name, role FROM users WHERE name = :name")
        .param("name", name)
        .query(UserRepository::caller)
        .optional();
  }

  boolean nameTaken(String name) {
    return jdbc.sql("SELECT count(*) FROM users WHERE name = :name")
            .param("name", name)
            .query(Long.class)
            .single()
        > 0;
  }

  /** Serializes first-start bootstrap across nodes for the rest of the transaction. */
  void lockBootstrap() {
    jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('tts-bootstrap-admin'))").query().singleRow();
  }

  boolean anyUser() {
    return jdbc.sql("SELECT EXISTS (SELECT 1 FROM users)").query(Boolean.class).single();
  }

  private static Caller caller(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new Caller(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        Caller.Role.valueOf(rs.getString("role").toUpperCase(Locale.ROOT)));
  }
}
