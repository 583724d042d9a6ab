package dev.ttsapi.timings;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The timings of stored audio, by content key (table {@code audio_timings}): written by the worker
 * that made the audio, read for every request with that key. A second write for the same key (a job
 * run twice) replaces the first, which described the same audio.
 */
@Repository
public class TimingsStore {

  private final JdbcClient jdbc;

  TimingsStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public void save(String contentKey, Timings timings) {
    jdbc.sql(
            """
            INSERT INTO audio_timings (content_key, timings) VALUES (:key, CAST(:timings AS jsonb))
            ON CONFLICT (content_key) DO UPDATE SET timings = EXCLUDED.timings
            """)
        .param("key", contentKey)
        .param("timings", timings.toJson())
        .update();
  }

  public Optional<Timings> find(String contentKey) {
    return jdbc.sql("SELECT timings::text FROM audio_timings WHERE content_key = :key")
        .param("key", contentKey)
        .query((rs, row) -> Timings.fromJson(rs.getString(1)))
        .optional();
  }
}
