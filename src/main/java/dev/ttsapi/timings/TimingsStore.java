package dev.ttsapi.timings;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The timings of stored audio, by content key (table {@code audio_timings}): read for every request
 * with that key. They are written by the statement that completes the job which made the audio
 * ({@code request.RequestRepository.complete}), together with the audio's index entry, so nobody
 * finds audio without its timings and the worker spends no round trip on them. A second write for
 * the same key (a job run twice) replaces the first, which described the same audio.
 */
@Repository
public class TimingsStore {

  private final JdbcClient jdbc;

  TimingsStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<Timings> find(String contentKey) {
    return jdbc.sql("SELECT timings::text FROM audio_timings WHERE content_key = :key")
        .param("key", contentKey)
        .query((rs, row) -> Timings.fromJson(rs.getString(1)))
        .optional();
  }
}
