package dev.ttsapi.lexicon;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** All SQL on the {@code lexicons} table. Deleted lexicons stay as tombstones (see V90). */
@Repository
class LexiconRepository {

  private static final TypeReference<List<LexiconRule>> RULES = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final JsonMapper json;

  LexiconRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** A PUT: the first version, or the next one (also after a delete). */
  LexiconSummary save(
      UUID user,
      String name,
      LexiconFormat format,
      String source,
      List<LexiconRule> rules,
      Instant now) {
    return jdbc.sql(
            """
            INSERT INTO lexicons (user_id, name, version, format, source, rules, rule_count,
              created_at, updated_at)
            VALUES (:user, :name, 1, :format, :source, CAST(:rules AS jsonb), :count, :now, :now)
            ON CONFLICT (user_id, name) DO UPDATE SET
              version = lexicons.version + 1, format = EXCLUDED.format, source = EXCLUDED.source,
              rules = EXCLUDED.rules, rule_count = EXCLUDED.rule_count,
              updated_at = EXCLUDED.updated_at,
              created_at = CASE WHEN lexicons.deleted_at IS NULL THEN lexicons.created_at
                ELSE EXCLUDED.created_at END,
              deleted_at = NULL
            RETURNING name, version, format, rule_count, created_at, updated_at
            """)
        .param("user", user)
        .param("name", name)
        .param("format", format.wireName())
        .param("source", source)
        .param("rules", json.writeValueAsString(rules))
        .param("count", rules.size())
        .param("now", now.atOffset(ZoneOffset.UTC))
        .query(LexiconRepository::summary)
        .single();
  }

  /** How many lexicons the user keeps, {@code name} aside (a PUT that replaces one adds none). */
  int countOthers(UUID user, String name) {
    return jdbc.sql(
            "SELECT count(*) FROM lexicons WHERE user_id = :user AND name <> :name"
                + " AND deleted_at IS NULL")
        .param("user", user)
        .param("name", name)
        .query(Integer.class)
        .single();
  }

  Optional<StoredLexicon> find(UUID user, String name) {
    return jdbc.sql(
            "SELECT name, version, format, updated_at, rules FROM lexicons"
                + " WHERE user_id = :user AND name = :name AND deleted_at IS NULL")
        .param("user", user)
        .param("name", name)
        .query(
            (rs, row) ->
                new StoredLexicon(
                    rs.getString("name"),
                    rs.getInt("version"),
                    LexiconFormat.fromWire(rs.getString("format")),
                    instant(rs, "updated_at"),
                    json.readValue(rs.getString("rules"), RULES)))
        .optional();
  }

  /** The lexicon as uploaded. */
  record Source(LexiconFormat format, int version, String text) {}

  Optional<Source> source(UUID user, String name) {
    return jdbc.sql(
            "SELECT format, version, source FROM lexicons"
                + " WHERE user_id = :user AND name = :name AND deleted_at IS NULL")
        .param("user", user)
        .param("name", name)
        .query(
            (rs, row) ->
                new Source(
                    LexiconFormat.fromWire(rs.getString("format")),
                    rs.getInt("version"),
                    rs.getString("source")))
        .optional();
  }

  List<LexiconSummary> list(UUID user) {
    return jdbc.sql(
            "SELECT name, version, format, rule_count, created_at, updated_at FROM lexicons"
                + " WHERE user_id = :user AND deleted_at IS NULL ORDER BY name")
        .param("user", user)
        .query(LexiconRepository::summary)
        .list();
  }

  /** Leaves a tombstone that keeps the version; false if there was no such lexicon. */
  boolean delete(UUID user, String name, Instant now) {
    return jdbc.sql(
                """
                UPDATE lexicons SET deleted_at = :now, updated_at = :now, source = '',
                  rules = '[]', rule_count = 0
                WHERE user_id = :user AND name = :name AND deleted_at IS NULL
                """)
            .param("user", user)
            .param("name", name)
            .param("now", now.atOffset(ZoneOffset.UTC))
            .update()
        == 1;
  }

  private static LexiconSummary summary(ResultSet rs, int row) throws SQLException {
    return new LexiconSummary(
        rs.getString("name"),
        rs.getInt("version"),
        LexiconFormat.fromWire(rs.getString("format")),
        rs.getInt("rule_count"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }
}
