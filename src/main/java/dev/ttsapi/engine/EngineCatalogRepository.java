package dev.ttsapi.engine;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The {@code engine_catalog} table: the engines worker nodes have, for nodes that have none. */
@Repository
class EngineCatalogRepository {

  private static final TypeReference<List<Voice>> VOICES = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final JsonMapper json;

  EngineCatalogRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /**
   * Writes {@code engines} as published now by {@code node}, in one statement; true if any engine
   * is new or its version or voices changed (then the other nodes' copies are stale).
   */
  boolean publish(List<EngineVoices> engines, String node, Instant now) {
    if (engines.isEmpty()) {
      return false;
    }
    return jdbc.sql(
                """
                WITH incoming AS (
                  SELECT e AS engine, v AS version, CAST(j AS jsonb) AS voices
                  FROM unnest(CAST(:engines AS text[]), CAST(:versions AS text[]),
                    CAST(:voices AS text[])) AS p(e, v, j)),
                changed AS (
                  -- read before the upsert: every part of one statement sees the same snapshot
                  SELECT i.engine FROM incoming i LEFT JOIN engine_catalog c USING (engine)
                  WHERE c.engine IS NULL OR c.version <> i.version OR c.voices <> i.voices),
                upserted AS (
                  INSERT INTO engine_catalog (engine, version, voices, published_at, published_by)
                  SELECT engine, version, voices, :now, :node FROM incoming
                  ON CONFLICT (engine) DO UPDATE SET version = EXCLUDED.version,
                    voices = EXCLUDED.voices, published_at = EXCLUDED.published_at,
                    published_by = EXCLUDED.published_by)
                SELECT count(*) FROM changed
                """)
            .param("engines", engines.stream().map(EngineVoices::engine).toArray(String[]::new))
            .param("versions", engines.stream().map(EngineVoices::version).toArray(String[]::new))
            .param(
                "voices",
                engines.stream()
                    .map(e -> json.writeValueAsString(e.voices()))
                    .toArray(String[]::new))
            .param("now", now.atOffset(ZoneOffset.UTC))
            .param("node", node)
            .query(Long.class)
            .single()
        > 0;
  }

  /** Every engine some worker has published, however long ago. */
  List<EngineVoices> published() {
    return jdbc.sql("SELECT engine, version, voices FROM engine_catalog ORDER BY engine")
        .query(
            (rs, row) ->
                new EngineVoices(
                    rs.getString("engine"),
                    rs.getString("version"),
                    json.readValue(rs.getString("voices"), VOICES)))
        .list();
  }
}
