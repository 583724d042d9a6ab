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

  /**
   * Saves the timings of audio just stored, before that audio is indexed. The commit does not wait
   * for the disk ({@code synchronous_commit = off}, this transaction only), which saves a WAL flush
   * per job: nobody can find these timings before the audio's index entry, and that entry is
   * written by a synchronous commit later in the same WAL (the job's completion), which flushes
   * these with it. A PostgreSQL crash in between can lose the timings only together with that
   * entry; audio stored but not indexed is made again by the next attempt.
   */
  public void save(String contentKey, Timings timings) {
    jdbc.sql(
            """
            WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
            INSERT INTO audio_timings (content_key, timings)
            SELECT :key, CAST(:timings AS jsonb) FROM relaxed
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
