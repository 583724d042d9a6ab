package dev.ttsapi.request;

import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.queue.Priority;
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
import org.springframework.transaction.support.TransactionTemplate;

/**
 * All SQL on the requests, logs and usage tables. Every lookup by id also names {@code created_at}
 * (read from the UUIDv7), so PostgreSQL prunes to one month partition. Every status change is a
 * conditional UPDATE taken from {@link Transition}.
 */
@Repository
public class RequestRepository {

  private static final String COLUMNS =
      """
      id, created_at, user_id, status, priority, text, language, voice_requested, voice, speed,
      pitch, format, sample_rate, content_key, cache_hit, attempt, progress, error, audio_bytes,
      audio_duration_ms, started_at, completed_at, updated_at""";

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  RequestRepository(JdbcClient jdbc, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  /** Inserts a new request and its first event in one statement (one round trip). */
  public void insert(TtsRequest r) {
    jdbc.sql(
            """
            WITH inserted AS (
              INSERT INTO requests (id, created_at, user_id, status, priority, text, text_length,
                language, voice_requested, voice, engine, speed, pitch, format, sample_rate,
                content_key, cache_hit,
                progress, audio_bytes, audio_duration_ms, started_at, completed_at, updated_at)
              VALUES (:id, :createdAt, :userId, :status, :priority, :text, :textLength, :language,
                :voiceRequested, :voice, :engine, :speed, :pitch, :format, :sampleRate,
                :contentKey, :cacheHit,
                :progress, :audioBytes, :audioDurationMs, :startedAt, :completedAt, :createdAt)
              RETURNING id)
            INSERT INTO logs (request_id, timestamp, event, attempt, detail)
            SELECT id, :createdAt, :status, 0, :detail FROM inserted
            """)
        .param("id", r.id())
        .param("createdAt", time(r.createdAt()))
        .param("userId", r.userId())
        .param("status", r.status().wireName())
        .param("priority", r.priority().wireName())
        .param("text", r.text())
        .param("textLength", r.text().codePointCount(0, r.text().length()))
        .param("language", r.language())
        .param("voiceRequested", r.voiceRequested())
        .param("voice", r.voice())
        .param("engine", r.voice().substring(0, Math.max(0, r.voice().indexOf(':'))))
        .param("sampleRate", r.sampleRate())
        .param("speed", r.speed())
        .param("pitch", r.pitch())
        .param("format", r.format().extension())
        .param("contentKey", r.contentKey())
        .param("cacheHit", r.cacheHit())
        .param("progress", r.progress())
        .param("audioBytes", r.audioBytes())
        .param("audioDurationMs", r.audioDurationMs())
        .param("startedAt", time(r.startedAt()))
        .param("completedAt", time(r.completedAt()))
        .param("detail", r.cacheHit() ? "audio already stored" : null)
        .update();
  }

  public Optional<TtsRequest> find(UUID id) {
    return jdbc.sql(
            "SELECT " + COLUMNS + " FROM requests WHERE id = :id AND created_at = :createdAt")
        .param("id", id)
        .param("createdAt", time(RequestIds.createdAt(id)))
        .query(RequestRepository::map)
        .optional();
  }

  /**
   * The user's requests, newest first, after the keyset cursor {@code before} (exclusive). UUIDv7
   * ids sort by creation time, so "newest first" is "id descending" on idx_requests_user_id.
   */
  public List<TtsRequest> page(UUID userId, RequestStatus status, UUID before, int limit) {
    StringBuilder sql =
        new StringBuilder("SELECT " + COLUMNS + " FROM requests WHERE user_id = :userId");
    if (status != null) {
      sql.append(" AND status = :status");
    }
    if (before != null) {
      // the created_at bound lets PostgreSQL skip partitions newer than the cursor
      sql.append(" AND id < :before AND created_at <= :beforeCreatedAt");
    }
    sql.append(" ORDER BY id DESC LIMIT :limit");
    JdbcClient.StatementSpec statement =
        jdbc.sql(sql.toString()).param("userId", userId).param("limit", limit);
    if (status != null) {
      statement = statement.param("status", status.wireName());
    }
    if (before != null) {
      statement =
          statement
              .param("before", before)
              .param("beforeCreatedAt", time(RequestIds.createdAt(before)));
    }
    return statement.query(RequestRepository::map).list();
  }

  /** queued → processing; the attempt counter goes up. Empty if the request was not queued. */
  public Optional<TtsRequest> start(UUID id, Instant now) {
    // One statement (one round trip): the conditional UPDATE and its event together.
    return jdbc.sql(
            """
            WITH started AS (
              UPDATE requests SET status = :to, attempt = attempt + 1, started_at = :now,
                updated_at = :now, error = NULL
              WHERE id = :id AND created_at = :createdAt AND status = :from
              RETURNING %s),
            logged AS (
              INSERT INTO logs (request_id, timestamp, event, attempt)
              SELECT id, :now, :event, attempt FROM started)
            SELECT * FROM started
            """
                .formatted(COLUMNS))
        .param("to", Transition.START.to().wireName())
        .param("from", Transition.START.from().wireName())
        .param("event", Transition.START.event())
        .param("now", time(now))
        .param("id", id)
        .param("createdAt", time(RequestIds.createdAt(id)))
        .query(RequestRepository::map)
        .optional();
  }

  /**
   * processing → completed for this attempt, with its event, the audio index and the user's usage
   * in one statement (one round trip, atomic): a job that runs twice completes, and is charged,
   * once, because everything hangs off the conditional UPDATE.
   */
  public boolean complete(TtsRequest r, Completion done, Instant now) {
    return jdbc.sql(
                """
                WITH done AS (
                  UPDATE requests SET status = :to, progress = 1, completed_at = :now,
                    updated_at = :now, audio_bytes = :bytes, audio_duration_ms = :durationMs,
                    model = :model, billable_characters = :billed, input_tokens = :inputTokens,
                    output_tokens = :outputTokens
                  WHERE id = :id AND created_at = :createdAt AND status = :from
                    AND attempt = :attempt
                  RETURNING id, user_id, content_key, format),
                logged AS (
                  INSERT INTO logs (request_id, timestamp, event, attempt, detail)
                  SELECT id, :now, :event, :attempt, :detail FROM done),
                indexed AS (
                  INSERT INTO audio_cache (content_key, format, bytes, duration_ms, created_at)
                  SELECT content_key, format, :bytes, :durationMs, :now FROM done
                  ON CONFLICT (content_key) DO NOTHING),
                charged AS (
                  INSERT INTO usage_daily (user_id, day, requests, characters, audio_seconds,
                    input_tokens, output_tokens)
                  SELECT user_id, :day, 1, :characters, :seconds, :inputTokens, :outputTokens
                  FROM done
                  ON CONFLICT (user_id, day) DO UPDATE SET
                    requests = usage_daily.requests + 1,
                    characters = usage_daily.characters + EXCLUDED.characters,
                    audio_seconds = usage_daily.audio_seconds + EXCLUDED.audio_seconds,
                    input_tokens = usage_daily.input_tokens + EXCLUDED.input_tokens,
                    output_tokens = usage_daily.output_tokens + EXCLUDED.output_tokens)
                SELECT count(*) FROM done
                """)
            .param("to", Transition.COMPLETE.to().wireName())
            .param("from", Transition.COMPLETE.from().wireName())
            .param("event", Transition.COMPLETE.event())
            .param("detail", synthesisDetail(done))
            .param("now", time(now))
            .param("bytes", done.audioBytes())
            .param("durationMs", done.durationMs())
            .param("model", done.model())
            .param("billed", done.usage().characters())
            .param("inputTokens", done.usage().inputTokens())
            .param("outputTokens", done.usage().outputTokens())
            .param("id", r.id())
            .param("createdAt", time(r.createdAt()))
            .param("attempt", r.attempt())
            .param("day", now.atOffset(ZoneOffset.UTC).toLocalDate())
            .param("characters", (long) r.text().codePointCount(0, r.text().length()))
            .param("seconds", done.durationMs() / 1000.0)
            .query(Long.class)
            .single()
        == 1;
  }

  /** processing → queued (RETRY) or processing → failed (FAIL), for this attempt only. */
  public boolean endAttempt(TtsRequest r, Transition transition, String error, Instant now) {
    if (transition != Transition.RETRY && transition != Transition.FAIL) {
      throw new IllegalArgumentException("not an end of an attempt: " + transition);
    }
    return Boolean.TRUE.equals(
        transactions.execute(
            tx -> {
              int changed =
                  jdbc.sql(
                          "UPDATE requests SET status = :to, error = :error, updated_at = :now,"
                              + " completed_at = CASE WHEN :terminal THEN CAST(:now AS timestamptz) END"
                              + " WHERE id = :id AND created_at = :createdAt AND status = :from"
                              + " AND attempt = :attempt")
                      .param("to", transition.to().wireName())
                      .param("from", transition.from().wireName())
                      .param("error", error)
                      .param("now", time(now))
                      .param("terminal", transition.to().terminal())
                      .param("id", r.id())
                      .param("createdAt", time(r.createdAt()))
                      .param("attempt", r.attempt())
                      .update();
              if (changed == 1) {
                event(r.id(), now, transition.event(), r.attempt(), error);
              }
              return changed == 1;
            }));
  }

  /** queued → cancelled, only for the owner. */
  public boolean cancel(UUID id, UUID userId, Instant now) {
    return Boolean.TRUE.equals(
        transactions.execute(
            tx -> {
              int changed =
                  jdbc.sql(
                          "UPDATE requests SET status = :to, updated_at = :now, completed_at = :now"
                              + " WHERE id = :id AND created_at = :createdAt AND status = :from"
                              + " AND user_id = :userId")
                      .param("to", Transition.CANCEL.to().wireName())
                      .param("from", Transition.CANCEL.from().wireName())
                      .param("now", time(now))
                      .param("id", id)
                      .param("createdAt", time(RequestIds.createdAt(id)))
                      .param("userId", userId)
                      .update();
              if (changed == 1) {
                event(id, now, Transition.CANCEL.event(), null, null);
              }
              return changed == 1;
            }));
  }

  /**
   * Requests in {@code status} whose last change is older than {@code before}, oldest first
   * (idx_requests_status_created): the sweeper checks that each still has a queue entry.
   */
  public List<TtsRequest> stale(RequestStatus status, Instant before, int limit) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM requests WHERE status = :status AND updated_at < :before"
                + " ORDER BY created_at LIMIT :limit")
        .param("status", status.wireName())
        .param("before", time(before))
        .param("limit", limit)
        .query(RequestRepository::map)
        .list();
  }

  /**
   * Records that the audio of {@code r}'s content key is stored; a second record changes nothing.
   */
  public void indexAudio(TtsRequest r, Completion done, Instant now) {
    jdbc.sql(
            """
            INSERT INTO audio_cache (content_key, format, bytes, duration_ms, created_at)
            VALUES (:key, :format, :bytes, :durationMs, :now)
            ON CONFLICT (content_key) DO NOTHING
            """)
        .param("key", r.contentKey())
        .param("format", r.format().extension())
        .param("bytes", done.audioBytes())
        .param("durationMs", done.durationMs())
        .param("now", time(now))
        .update();
  }

  /** Stored audio for a content key, counting the hit. Empty if none was stored. */
  public Optional<CachedAudio> takeCachedAudio(String contentKey) {
    return jdbc.sql(
            "UPDATE audio_cache SET hits = hits + 1 WHERE content_key = :key"
                + " RETURNING bytes, duration_ms")
        .param("key", contentKey)
        .query((rs, row) -> new CachedAudio(rs.getLong("bytes"), rs.getLong("duration_ms")))
        .optional();
  }

  /** Forgets a cache entry whose audio object has gone missing from the store. */
  public void forgetCachedAudio(String contentKey) {
    jdbc.sql("DELETE FROM audio_cache WHERE content_key = :key").param("key", contentKey).update();
  }

  public record CachedAudio(long bytes, long durationMs) {}

  /** The request's events, oldest first. */
  public List<String> events(UUID id) {
    return jdbc.sql("SELECT event FROM logs WHERE request_id = :id ORDER BY id")
        .param("id", id)
        .query(String.class)
        .list();
  }

  private void event(UUID id, Instant at, String event, Integer attempt, String detail) {
    jdbc.sql(
            "INSERT INTO logs (request_id, timestamp, event, attempt, detail)"
                + " VALUES (:id, :at, :event, :attempt, :detail)")
        .param("id", id)
        .param("at", time(at))
        .param("event", event)
        .param("attempt", attempt)
        .param("detail", detail)
        .update();
  }

  /**
   * The completed event's detail: how long making the audio took ({@code synthesis_ms=812.4}), so
   * the rest of a request's time (queue wait, state changes) can be read from the logs table.
   */
  private static String synthesisDetail(Completion done) {
    return done.synthesisMs() > 0
        ? String.format(java.util.Locale.ROOT, "synthesis_ms=%.1f", done.synthesisMs())
        : null;
  }

  private static OffsetDateTime time(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private static TtsRequest map(ResultSet rs, int row) throws SQLException {
    return new TtsRequest(
        rs.getObject("id", UUID.class),
        instant(rs, "created_at"),
        rs.getObject("user_id", UUID.class),
        RequestStatus.fromWire(rs.getString("status")),
        Priority.parse(rs.getString("priority")).orElseThrow(),
        rs.getString("text"),
        rs.getString("language"),
        rs.getString("voice_requested"),
        rs.getString("voice"),
        rs.getDouble("speed"),
        rs.getDouble("pitch"),
        AudioFormat.parse(rs.getString("format")).orElseThrow(),
        rs.getInt("sample_rate"),
        rs.getString("content_key"),
        rs.getBoolean("cache_hit"),
        rs.getInt("attempt"),
        rs.getDouble("progress"),
        rs.getString("error"),
        nullableLong(rs, "audio_bytes"),
        nullableLong(rs, "audio_duration_ms"),
        instant(rs, "started_at"),
        instant(rs, "completed_at"),
        instant(rs, "updated_at"));
  }
}
