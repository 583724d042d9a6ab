package dev.ttsapi.request;

import static dev.ttsapi.database.Timestamps.utc;

import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.database.DatabaseRouter;
import dev.ttsapi.queue.Priority;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * All SQL on the requests, logs and usage tables. Every lookup by id also names {@code created_at}
 * (read from the UUIDv7), so PostgreSQL prunes to one month partition. Every status change is a
 * conditional UPDATE taken from {@link Transition}. Each write of a user's request is reported to
 * the {@link DatabaseRouter}, and the reads a user makes of their own requests (list, status
 * fallback) go through it: to a read replica that has those writes, else to the primary.
 */
@Repository
public class RequestRepository {

  private static final String COLUMNS =
      """
      id, created_at, user_id, status, priority, text, language, voice_requested, voice, speed,
      pitch, format, sample_rate, content_key, cache_hit, attempt, progress, error, audio_bytes,
      audio_duration_ms, started_at, completed_at, updated_at, text_length, ssml, spoken_text\
      """;

  private final JdbcClient jdbc;
  private final NamedParameterJdbcTemplate batches;
  private final DatabaseRouter router;

  RequestRepository(JdbcClient jdbc, NamedParameterJdbcTemplate batches, DatabaseRouter router) {
    this.jdbc = jdbc;
    this.batches = batches;
    this.router = router;
  }

  private static final String INSERT =
      """
      WITH inserted AS (
        INSERT INTO requests (id, created_at, user_id, status, priority, text, text_length,
          language, voice_requested, voice, engine, speed, pitch, format, sample_rate,
          content_key, cache_hit,
          progress, audio_bytes, audio_duration_ms, started_at, completed_at, updated_at, ssml,
          spoken_text)
        VALUES (:id, :createdAt, :userId, :status, :priority, :text, :textLength, :language,
          :voiceRequested, :voice, :engine, :speed, :pitch, :format, :sampleRate,
          :contentKey, :cacheHit,
          :progress, :audioBytes, :audioDurationMs, :startedAt, :completedAt, :createdAt,
          CAST(:ssml AS jsonb), :spokenText)
        RETURNING id)
      INSERT INTO logs (request_id, timestamp, event, attempt, detail)
      SELECT id, :createdAt, :status, 0, :detail FROM inserted
      """;

  /** Inserts a new request and its first event in one statement (one round trip). */
  public void insert(TtsRequest r) {
    jdbc.sql(INSERT).paramSource(insertParameters(r)).update();
    router.wrote(r.userId());
  }

  /**
   * Inserts new requests and their first events as one JDBC batch of the same statement as {@link
   * #insert}: the driver sends them together, so a thousand requests cost a round trip or two, not
   * a thousand. Atomic only inside the caller's transaction.
   */
  public void insertAll(List<TtsRequest> requests) {
    if (requests.isEmpty()) {
      return;
    }
    batches.batchUpdate(
        INSERT,
        requests.stream()
            .map(RequestRepository::insertParameters)
            .toArray(MapSqlParameterSource[]::new));
    router.wrote(requests.stream().map(TtsRequest::userId).distinct().toArray(UUID[]::new));
  }

  /**
   * A group of new submits in one statement, one round trip, atomic without a transaction: one
   * multi-row INSERT (the rows as arrays, unnest) with their first events, the lookup of stored
   * audio folded in. A row whose content key has no stored audio is inserted queued. A row whose
   * audio is stored, and which the audio store was just seen holding ({@code inStore}), is inserted
   * answered from it: completed, a cache hit (so the webhook outbox trigger writes its event in the
   * same statement). Any other row with stored audio is not inserted: the audio store has not
   * confirmed the file yet (an object store is asked only for audio the index lists), or its SSML
   * marks must be merged with the stored audio's; it is returned, to be checked against the store
   * and inserted answered or queued again ({@link #insert}). Everything is read from one snapshot,
   * so "asked before" does not see the rows this statement inserts.
   *
   * @param queued the group's rows as queued rows, ids assigned
   * @param inStore for each row, whether the audio store holds its content key (false: not asked)
   * @param askedToo whether to find out if each user asked for the stored audio before
   * @return request id → the stored audio of each row that has some, and whether it was inserted
   *     answered from it; rows not in it were inserted queued
   */
  Map<UUID, Stored> insertGroup(List<TtsRequest> queued, boolean[] inStore, boolean askedToo) {
    Map<UUID, Stored> stored = new java.util.HashMap<>();
    int n = queued.size();
    String[] ids = new String[n];
    String[] createdAt = new String[n];
    String[] users = new String[n];
    String[] priorities = new String[n];
    String[] texts = new String[n];
    Integer[] textLengths = new Integer[n];
    String[] languages = new String[n];
    String[] voicesRequested = new String[n];
    String[] voices = new String[n];
    String[] engines = new String[n];
    Double[] speeds = new Double[n];
    Double[] pitches = new Double[n];
    String[] formats = new String[n];
    Integer[] sampleRates = new Integer[n];
    String[] contentKeys = new String[n];
    String[] ssml = new String[n];
    String[] spokenTexts = new String[n];
    Boolean[] present = new Boolean[n];
    for (int i = 0; i < n; i++) {
      TtsRequest r = queued.get(i);
      if (r.status() != RequestStatus.QUEUED) {
        throw new IllegalArgumentException("not a queued row: " + r.id());
      }
      ids[i] = r.id().toString();
      createdAt[i] = utc(r.createdAt()).toString();
      users[i] = r.userId().toString();
      priorities[i] = r.priority().wireName();
      texts[i] = r.text();
      textLengths[i] = r.characters();
      languages[i] = r.language();
      voicesRequested[i] = r.voiceRequested();
      voices[i] = r.voice();
      engines[i] = r.voice().substring(0, Math.max(0, r.voice().indexOf(':')));
      speeds[i] = r.speed();
      pitches[i] = r.pitch();
      formats[i] = r.format().extension();
      sampleRates[i] = r.sampleRate();
      contentKeys[i] = r.contentKey();
      ssml[i] = r.ssml();
      spokenTexts[i] = r.speech().spokenText();
      present[i] = inStore[i];
    }
    jdbc.sql(INSERT_GROUP)
        .param("ids", ids)
        .param("createdAt", createdAt)
        .param("users", users)
        .param("priorities", priorities)
        .param("texts", texts)
        .param("textLengths", textLengths)
        .param("languages", languages)
        .param("voicesRequested", voicesRequested)
        .param("voices", voices)
        .param("engines", engines)
        .param("speeds", speeds)
        .param("pitches", pitches)
        .param("formats", formats)
        .param("sampleRates", sampleRates)
        .param("contentKeys", contentKeys)
        .param("ssml", ssml)
        .param("spokenTexts", spokenTexts)
        .param("present", present)
        .param("askedToo", askedToo)
        .query(
            rs -> {
              stored.put(
                  rs.getObject("id", UUID.class),
                  new Stored(
                      new CachedAudio(
                          rs.getLong("bytes"),
                          rs.getLong("duration_ms"),
                          rs.getString("ssml_marks")),
                      rs.getBoolean("asked"),
                      rs.getBoolean("answered")));
            });
    router.wrote(
        queued.stream()
            .filter(r -> !stored.containsKey(r.id()) || stored.get(r.id()).answered())
            .map(TtsRequest::userId)
            .distinct()
            .toArray(UUID[]::new));
    return stored;
  }

  /**
   * Stored audio found for a submit, whether its user asked for it before (for a shared cache), and
   * whether the submit was inserted answered from it.
   */
  record Stored(CachedAudio audio, boolean askedBefore, boolean answered) {}

  private static final String INSERT_GROUP =
      """
      WITH input AS (
        SELECT * FROM unnest(
            CAST(CAST(:ids AS text[]) AS uuid[]), CAST(CAST(:createdAt AS text[]) AS timestamptz[]),
            CAST(CAST(:users AS text[]) AS uuid[]), CAST(:priorities AS text[]),
            CAST(:texts AS text[]), CAST(:textLengths AS integer[]), CAST(:languages AS text[]),
            CAST(:voicesRequested AS text[]), CAST(:voices AS text[]), CAST(:engines AS text[]),
            CAST(:speeds AS double precision[]), CAST(:pitches AS double precision[]),
            CAST(:formats AS text[]), CAST(:sampleRates AS integer[]),
            CAST(:contentKeys AS text[]), CAST(:ssml AS text[]), CAST(:spokenTexts AS text[]),
            CAST(:present AS boolean[]))
          AS i(id, created_at, user_id, priority, text, text_length, language, voice_requested,
               voice, engine, speed, pitch, format, sample_rate, content_key, ssml, spoken_text,
               present)),
      stored AS (
        SELECT i.id, a.bytes, a.duration_ms, a.ssml_marks,
               CAST(:askedToo AS boolean) AND EXISTS (
                 SELECT 1 FROM requests r
                  WHERE r.user_id = i.user_id AND r.content_key = i.content_key) AS asked,
               i.present AND i.ssml IS NULL AS answered
          FROM input i JOIN audio_cache a ON a.content_key = i.content_key),
      inserted AS (
        INSERT INTO requests (id, created_at, user_id, status, priority, text, text_length,
          language, voice_requested, voice, engine, speed, pitch, format, sample_rate,
          content_key, cache_hit, progress, audio_bytes, audio_duration_ms, started_at,
          completed_at, updated_at, ssml, spoken_text)
        SELECT i.id, i.created_at, i.user_id,
               CASE WHEN s.answered THEN 'completed' ELSE 'queued' END, i.priority, i.text,
               i.text_length, i.language, i.voice_requested, i.voice, i.engine, i.speed, i.pitch,
               i.format, i.sample_rate, i.content_key, s.answered IS TRUE,
               CASE WHEN s.answered THEN 1 ELSE 0 END,
               CASE WHEN s.answered THEN s.bytes END, CASE WHEN s.answered THEN s.duration_ms END,
               CASE WHEN s.answered THEN i.created_at END,
               CASE WHEN s.answered THEN i.created_at END,
               i.created_at, CAST(i.ssml AS jsonb), i.spoken_text
          FROM input i LEFT JOIN stored s ON s.id = i.id
         WHERE s.id IS NULL OR s.answered
        RETURNING id, created_at, status),
      logged AS (
        INSERT INTO logs (request_id, timestamp, event, attempt, detail)
        SELECT id, created_at, status, 0,
               CASE WHEN status = 'completed' THEN 'audio already stored' END
          FROM inserted)
      -- inserted and logged run whether or not this reads them (data-modifying CTEs always do)
      SELECT id, bytes, duration_ms, ssml_marks, asked, answered FROM stored
      """;

  private static MapSqlParameterSource insertParameters(TtsRequest r) {
    return new MapSqlParameterSource()
        .addValue("id", r.id())
        .addValue("createdAt", utc(r.createdAt()))
        .addValue("userId", r.userId())
        .addValue("status", r.status().wireName())
        .addValue("priority", r.priority().wireName())
        .addValue("text", r.text())
        .addValue("textLength", r.characters())
        .addValue("ssml", r.ssml(), java.sql.Types.VARCHAR)
        .addValue("spokenText", r.speech().spokenText())
        .addValue("language", r.language())
        .addValue("voiceRequested", r.voiceRequested())
        .addValue("voice", r.voice())
        .addValue("engine", r.voice().substring(0, Math.max(0, r.voice().indexOf(':'))))
        .addValue("sampleRate", r.sampleRate())
        .addValue("speed", r.speed())
        .addValue("pitch", r.pitch())
        .addValue("format", r.format().extension())
        .addValue("contentKey", r.contentKey())
        .addValue("cacheHit", r.cacheHit())
        .addValue("progress", r.progress())
        .addValue("audioBytes", r.audioBytes(), java.sql.Types.BIGINT)
        .addValue("audioDurationMs", r.audioDurationMs(), java.sql.Types.BIGINT)
        .addValue("startedAt", utc(r.startedAt()), java.sql.Types.TIMESTAMP_WITH_TIMEZONE)
        .addValue("completedAt", utc(r.completedAt()), java.sql.Types.TIMESTAMP_WITH_TIMEZONE)
        .addValue("detail", r.cacheHit() ? "audio already stored" : null, java.sql.Types.VARCHAR);
  }

  /** The request, from the primary. */
  public Optional<TtsRequest> find(UUID id) {
    return find(jdbc, id);
  }

  /** The request as {@code reader} may see it: from a replica that has their writes, if any. */
  public Optional<TtsRequest> findFor(UUID reader, UUID id) {
    return router.read(reader, db -> find(db, id));
  }

  private static Optional<TtsRequest> find(JdbcClient db, UUID id) {
    return db.sql("SELECT " + COLUMNS + " FROM requests WHERE id = :id AND created_at = :createdAt")
        .param("id", id)
        .param("createdAt", utc(RequestIds.createdAt(id)))
        .query(RequestRepository::map)
        .optional();
  }

  /**
   * The requests of {@code ids} that exist, in no particular order. Ids made close together (one
   * batch) fall in one or two month partitions: the created_at range read from the ids prunes to
   * those.
   */
  public List<TtsRequest> findAll(List<UUID> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return idsQuery("SELECT " + COLUMNS + " FROM requests", ids)
        .query(RequestRepository::map)
        .list();
  }

  /**
   * What a status poll shows of each request of {@code ids} that exists, without the text (a batch
   * of a thousand long texts would be megabytes read for nothing).
   */
  public List<StatusSnapshot> statuses(List<UUID> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return idsQuery("SELECT " + STATUS_COLUMNS + " FROM requests", ids)
        .query(RequestRepository::statusSnapshot)
        .list();
  }

  /**
   * The user's requests still queued or processing, and those changed since {@code since}, newest
   * first, created after {@code createdAfter} (which prunes old month partitions).
   */
  List<StatusSnapshot> unfinishedOrChangedSince(
      UUID userId, Instant since, Instant createdAfter, int max) {
    return jdbc.sql(
            "SELECT "
                + STATUS_COLUMNS
                + """
                 FROM requests
                WHERE user_id = ? AND created_at >= ?
                  AND (status IN ('queued', 'processing') OR updated_at >= ?)
                ORDER BY id DESC LIMIT ?\
                """)
        .params(userId, utc(createdAfter), utc(since), max)
        .query(RequestRepository::statusSnapshot)
        .list();
  }

  private JdbcClient.StatementSpec idsQuery(String select, List<UUID> ids) {
    Instant first = ids.stream().map(RequestIds::createdAt).min(Instant::compareTo).orElseThrow();
    Instant last = ids.stream().map(RequestIds::createdAt).max(Instant::compareTo).orElseThrow();
    return jdbc.sql(
            select
                + " WHERE id = ANY (CAST(:ids AS uuid[]))"
                + " AND created_at BETWEEN :first AND :last")
        .param("ids", ids.stream().map(UUID::toString).toArray(String[]::new))
        .param("first", utc(first))
        .param("last", utc(last));
  }

  /**
   * The user's requests, newest first, after the keyset cursor {@code before} (exclusive). UUIDv7
   * ids sort by creation time, so "newest first" is "id descending" on idx_requests_user_id. Read
   * from a replica that has the user's writes, if any.
   */
  public List<TtsRequest> page(UUID userId, RequestStatus status, UUID before, int limit) {
    return router.read(userId, db -> page(db, userId, status, before, limit));
  }

  private static List<TtsRequest> page(
      JdbcClient db, UUID userId, RequestStatus status, UUID before, int limit) {
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
        db.sql(sql.toString()).param("userId", userId).param("limit", limit);
    if (status != null) {
      statement = statement.param("status", status.wireName());
    }
    if (before != null) {
      statement =
          statement
              .param("before", before)
              .param("beforeCreatedAt", utc(RequestIds.createdAt(before)));
    }
    return statement.query(RequestRepository::map).list();
  }

  /**
   * queued → processing; the attempt counter goes up. Empty if the request was not queued.
   *
   * <p>Its commit does not wait for the WAL to reach the disk ({@code synchronous_commit = off} for
   * this one transaction): a start promises nothing to anyone. The WAL is one sequence, so the
   * attempt's next synchronous commit (its completion, or the end of a failed attempt) flushes the
   * start with it. If PostgreSQL crashes in between, the start may be lost: the row is queued again
   * at the attempt before, and whoever looks next sees a job not yet started. The worker's
   * completion then finds its attempt not current and hands the entry back ({@code
   * worker.FailedAttempts.startLost}); a worker that died with it leaves the entry to the
   * reclaimer, which queues an unstarted job again. Nothing is acknowledged that PostgreSQL does
   * not have.
   */
  public Optional<TtsRequest> start(UUID id, Instant now) {
    // One statement (one round trip): the conditional UPDATE and its event together, and the
    // asynchronous commit set for this transaction only (set_config(..., true) is SET LOCAL; the
    // statement is its own transaction). relaxed is joined so that it runs.
    return jdbc.sql(
            """
            WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true)),
            started AS (
              UPDATE requests SET status = :to, attempt = attempt + 1, started_at = :now,
                updated_at = :now, error = NULL
              WHERE id = :id AND created_at = :createdAt AND status = :from
              RETURNING %s),
            logged AS (
              INSERT INTO logs (request_id, timestamp, event, attempt)
              SELECT id, :now, :event, attempt FROM started)
            SELECT started.* FROM relaxed, started
            """
                .formatted(COLUMNS))
        .param("to", Transition.START.to().wireName())
        .param("from", Transition.START.from().wireName())
        .param("event", Transition.START.event())
        .param("now", utc(now))
        .param("id", id)
        .param("createdAt", utc(RequestIds.createdAt(id)))
        .query(RequestRepository::map)
        .optional()
        .map(this::wroteFor);
  }

  /**
   * processing → completed for this attempt, with its event, the audio index and the user's usage
   * in one statement (one round trip, atomic): a job that runs twice completes, and is charged,
   * once, because everything hangs off the conditional UPDATE. The request as it is now; empty if
   * the attempt was no longer current.
   *
   * <p>The timings of audio this attempt made ({@link Completion#timings}) are saved by the same
   * statement, whether or not the attempt is still current: they describe the stored audio, which
   * whoever indexes it (this statement, or {@link #indexAudio} after a stale attempt) makes
   * findable. Saved in the index entry's own transaction, nobody finds the audio without them, and
   * the worker pays no round trip of their own (they used to be a statement before this one).
   */
  public Optional<TtsRequest> complete(TtsRequest r, Completion done, Instant now) {
    return jdbc.sql(
            """
            WITH done AS (
              UPDATE requests SET status = :to, progress = 1, completed_at = :now,
                updated_at = :now, audio_bytes = :bytes, audio_duration_ms = :durationMs,
                model = :model, billable_characters = :billed, input_tokens = :inputTokens,
                output_tokens = :outputTokens, ssml = COALESCE(CAST(:ssml AS jsonb), ssml)
              WHERE id = :id AND created_at = :createdAt AND status = :from
                AND attempt = :attempt
              RETURNING %s),
            logged AS (
              INSERT INTO logs (request_id, timestamp, event, attempt, detail)
              SELECT id, :now, :event, :attempt, :detail FROM done),
            indexed AS (
              INSERT INTO audio_cache (content_key, format, bytes, duration_ms, created_at,
                ssml_marks)
              SELECT content_key, format, :bytes, :durationMs, :now,
                CAST(:ssml AS jsonb) -> 'marks' FROM done
              ON CONFLICT (content_key) DO NOTHING),
            charged AS (
              SELECT add_usage(user_id, :day, :characters, :seconds, :inputTokens,
                :outputTokens) FROM done),
            -- not FROM done: a data-modifying CTE runs whether or not anyone reads it
            timed AS (
              INSERT INTO audio_timings (content_key, timings)
              SELECT :contentKey, CAST(:timings AS jsonb) WHERE CAST(:timings AS text) IS NOT NULL
              ON CONFLICT (content_key) DO UPDATE SET timings = EXCLUDED.timings)
            -- charged is a SELECT: joined here so that it runs (a CTE no one reads does not)
            SELECT done.* FROM done, charged
            """
                .formatted(COLUMNS))
        .param("to", Transition.COMPLETE.to().wireName())
        .param("from", Transition.COMPLETE.from().wireName())
        .param("event", Transition.COMPLETE.event())
        .param("detail", synthesisDetail(done))
        .param("now", utc(now))
        .param("bytes", done.audioBytes())
        .param("durationMs", done.durationMs())
        .param("model", done.model())
        .param("billed", done.usage().characters())
        .param("inputTokens", done.usage().inputTokens())
        .param("outputTokens", done.usage().outputTokens())
        .param("id", r.id())
        .param("createdAt", utc(r.createdAt()))
        .param("attempt", r.attempt())
        .param("day", now.atOffset(ZoneOffset.UTC).toLocalDate())
        .param("characters", (long) r.characters())
        .param("ssml", done.ssml(), java.sql.Types.VARCHAR)
        .param("seconds", done.durationMs() / 1000.0)
        .param("contentKey", r.contentKey())
        .param("timings", done.timings(), java.sql.Types.VARCHAR)
        .query(RequestRepository::map)
        .optional()
        .map(this::wroteFor);
  }

  /**
   * processing → queued (RETRY) or processing → failed (FAIL), for this attempt only, with its
   * event in the same statement (one round trip); or queued → failed (GIVE_UP) for a job no worker
   * could start. The request as it is now; empty if it had changed meanwhile.
   */
  public Optional<TtsRequest> endAttempt(
      TtsRequest r, Transition transition, String error, Instant now) {
    if (transition != Transition.RETRY
        && transition != Transition.FAIL
        && transition != Transition.GIVE_UP) {
      throw new IllegalArgumentException("not an end of an attempt: " + transition);
    }
    return jdbc.sql(
            """
            WITH ended AS (
              UPDATE requests SET status = :to, error = :error, updated_at = :now,
                completed_at = CASE WHEN :terminal THEN CAST(:now AS timestamptz) END
              WHERE id = :id AND created_at = :createdAt AND status = :from AND attempt = :attempt
              RETURNING %s),
            logged AS (
              INSERT INTO logs (request_id, timestamp, event, attempt, detail)
              SELECT id, :now, :event, attempt, error FROM ended)
            SELECT * FROM ended
            """
                .formatted(COLUMNS))
        .param("to", transition.to().wireName())
        .param("from", transition.from().wireName())
        .param("event", transition.event())
        .param("error", error)
        .param("now", utc(now))
        .param("terminal", transition.to().terminal())
        .param("id", r.id())
        .param("createdAt", utc(r.createdAt()))
        .param("attempt", r.attempt())
        .query(RequestRepository::map)
        .optional()
        .map(this::wroteFor);
  }

  /**
   * Ends the current attempt of many processing requests in one statement, with their events: each
   * goes back to the queue (RETRY), or fails (FAIL) once it has had {@code maxAttempts}. For the
   * sweeper, which finds such requests in batches. Returns the requests changed, as they are now;
   * one that was no longer at that attempt is left out.
   *
   * @param errors the error of each request's attempt, in the order of {@code requests}
   */
  public List<TtsRequest> endAttempts(
      List<TtsRequest> requests, List<String> errors, int maxAttempts, Instant now) {
    if (requests.isEmpty()) {
      return List.of();
    }
    List<TtsRequest> ended =
        jdbc.sql(
                """
                WITH lost AS (
                  SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:createdAts AS timestamptz[]),
                    CAST(:attempts AS int[]), CAST(:errors AS text[]))
                    AS l(id, created_at, attempt, error)),
                ended AS (
                  UPDATE requests r
                  SET status = CASE WHEN r.attempt >= :max THEN :failed ELSE :queued END,
                    error = lost.error, updated_at = :now,
                    completed_at = CASE WHEN r.attempt >= :max THEN CAST(:now AS timestamptz) END
                  FROM lost
                  WHERE r.id = lost.id AND r.created_at = lost.created_at AND r.status = :from
                    AND r.attempt = lost.attempt
                  RETURNING %s),
                logged AS (
                  INSERT INTO logs (request_id, timestamp, event, attempt, detail)
                  SELECT id, :now, CASE WHEN status = :failed THEN :failEvent ELSE :retryEvent END,
                    attempt, error
                  FROM ended)
                SELECT * FROM ended
                """
                    .formatted(prefixed("r.", COLUMNS)))
            .param("ids", requests.stream().map(r -> r.id().toString()).toArray(String[]::new))
            .param(
                "createdAts",
                requests.stream().map(r -> utc(r.createdAt()).toString()).toArray(String[]::new))
            .param(
                "attempts",
                requests.stream().mapToInt(TtsRequest::attempt).boxed().toArray(Integer[]::new))
            .param("errors", errors.toArray(String[]::new))
            .param("max", maxAttempts)
            .param("from", Transition.RETRY.from().wireName())
            .param("queued", Transition.RETRY.to().wireName())
            .param("failed", Transition.FAIL.to().wireName())
            .param("retryEvent", Transition.RETRY.event())
            .param("failEvent", Transition.FAIL.event())
            .param("now", utc(now))
            .query(RequestRepository::map)
            .list();
    // One WAL position read for the whole batch, not one per request.
    router.wrote(ended.stream().map(TtsRequest::userId).toArray(UUID[]::new));
    return ended;
  }

  /** queued → cancelled, only for the owner, with its event in the same statement. */
  public Optional<TtsRequest> cancel(UUID id, UUID userId, Instant now) {
    return jdbc.sql(
            """
            WITH cancelled AS (
              UPDATE requests SET status = :to, updated_at = :now, completed_at = :now
              WHERE id = :id AND created_at = :createdAt AND status = :from AND user_id = :userId
              RETURNING %s),
            logged AS (
              INSERT INTO logs (request_id, timestamp, event)
              SELECT id, :now, :event FROM cancelled)
            SELECT * FROM cancelled
            """
                .formatted(COLUMNS))
        .param("to", Transition.CANCEL.to().wireName())
        .param("from", Transition.CANCEL.from().wireName())
        .param("event", Transition.CANCEL.event())
        .param("now", utc(now))
        .param("id", id)
        .param("createdAt", utc(RequestIds.createdAt(id)))
        .param("userId", userId)
        .query(RequestRepository::map)
        .optional()
        .map(this::wroteFor);
  }

  /**
   * queued → cancelled for every request of {@code ids} that is the user's and still queued, with
   * their events, in one statement. Returns those cancelled, as they are now.
   */
  public List<TtsRequest> cancelAll(List<UUID> ids, UUID userId, Instant now) {
    if (ids.isEmpty()) {
      return List.of();
    }
    Instant first = ids.stream().map(RequestIds::createdAt).min(Instant::compareTo).orElseThrow();
    Instant last = ids.stream().map(RequestIds::createdAt).max(Instant::compareTo).orElseThrow();
    List<TtsRequest> cancelled =
        jdbc.sql(
                """
                WITH cancelled AS (
                  UPDATE requests SET status = :to, updated_at = :now, completed_at = :now
                  WHERE id = ANY (CAST(:ids AS uuid[])) AND created_at BETWEEN :first AND :last
                    AND status = :from AND user_id = :userId
                  RETURNING %s),
                logged AS (
                  INSERT INTO logs (request_id, timestamp, event)
                  SELECT id, :now, :event FROM cancelled)
                SELECT * FROM cancelled
                """
                    .formatted(COLUMNS))
            .param("to", Transition.CANCEL.to().wireName())
            .param("from", Transition.CANCEL.from().wireName())
            .param("event", Transition.CANCEL.event())
            .param("now", utc(now))
            .param("ids", ids.stream().map(UUID::toString).toArray(String[]::new))
            .param("first", utc(first))
            .param("last", utc(last))
            .param("userId", userId)
            .query(RequestRepository::map)
            .list();
    if (!cancelled.isEmpty()) {
      router.wrote(userId);
    }
    return cancelled;
  }

  private static String prefixed(String alias, String columns) {
    return java.util.Arrays.stream(columns.split(","))
        .map(c -> alias + c.strip())
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /**
   * Requests in {@code status} whose last change is older than {@code before}, least recently
   * changed first, leaving out the requests of {@code exceptUsers}: the sweeper checks that each
   * still has a queue entry. Read in the order of idx_requests_unfinished_updated (V120), so it
   * stops at the limit or the first row changed since {@code before}: it costs the stale rows, not
   * the backlog, whatever the planner estimates (ordered by creation it walked every queued row,
   * because finished rows' old changes make "changed before" look common). The status is written
   * into the SQL (an enum's own name, never input): a partial index is used only where the planner
   * can prove its predicate, which a bind parameter does not allow.
   */
  public List<TtsRequest> stale(
      RequestStatus status, Instant before, Collection<UUID> exceptUsers, int limit) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM requests WHERE status = '"
                + unfinished(status).wireName()
                + "' AND updated_at < :before"
                + " AND user_id <> ALL (CAST(:except AS uuid[]))"
                + " ORDER BY updated_at LIMIT :limit")
        .param("before", utc(before))
        .param("except", exceptUsers.stream().map(UUID::toString).toArray(String[]::new))
        .param("limit", limit)
        .query(RequestRepository::map)
        .list();
  }

  private static RequestStatus unfinished(RequestStatus status) {
    if (status != RequestStatus.QUEUED && status != RequestStatus.PROCESSING) {
      throw new IllegalArgumentException("only unfinished requests go stale: " + status);
    }
    return status;
  }

  /**
   * Records that the audio of {@code r}'s content key is stored; a second record changes nothing.
   */
  public void indexAudio(TtsRequest r, Completion done, Instant now) {
    jdbc.sql(
            """
            INSERT INTO audio_cache (content_key, format, bytes, duration_ms, created_at, ssml_marks)
            VALUES (:key, :format, :bytes, :durationMs, :now, CAST(:ssml AS jsonb) -> 'marks')
            ON CONFLICT (content_key) DO NOTHING
            """)
        .param("ssml", done.ssml(), java.sql.Types.VARCHAR)
        .param("key", r.contentKey())
        .param("format", r.format().extension())
        .param("bytes", done.audioBytes())
        .param("durationMs", done.durationMs())
        .param("now", utc(now))
        .update();
  }

  /** Stored audio for a content key; empty if none was stored. */
  public Optional<CachedAudio> findCachedAudio(String contentKey) {
    return jdbc.sql(
            "SELECT bytes, duration_ms, ssml_marks FROM audio_cache WHERE content_key = :key")
        .param("key", contentKey)
        .query(
            (rs, row) ->
                new CachedAudio(
                    rs.getLong("bytes"), rs.getLong("duration_ms"), rs.getString("ssml_marks")))
        .optional();
  }

  /** Stored audio for each of {@code contentKeys} that has some, by content key. */
  public Map<String, CachedAudio> findCachedAudios(Collection<String> contentKeys) {
    Map<String, CachedAudio> found = new java.util.HashMap<>();
    if (contentKeys.isEmpty()) {
      return found;
    }
    jdbc.sql(
            "SELECT content_key, bytes, duration_ms, ssml_marks FROM audio_cache"
                + " WHERE content_key = ANY (CAST(:keys AS text[]))")
        .param("keys", contentKeys.stream().distinct().toArray(String[]::new))
        .query(
            rs -> {
              found.put(
                  rs.getString("content_key"),
                  new CachedAudio(
                      rs.getLong("bytes"), rs.getLong("duration_ms"), rs.getString("ssml_marks")));
            });
    return found;
  }

  /** Which of {@code contentKeys} the user has asked for before (idx_requests_user_content). */
  java.util.Set<String> askedBefore(UUID userId, Collection<String> contentKeys) {
    if (contentKeys.isEmpty()) {
      return java.util.Set.of();
    }
    return new java.util.HashSet<>(
        jdbc.sql(
                "SELECT DISTINCT content_key FROM requests WHERE user_id = :userId"
                    + " AND content_key = ANY (CAST(:keys AS text[]))")
            .param("userId", userId)
            .param("keys", contentKeys.stream().distinct().toArray(String[]::new))
            .query(String.class)
            .list());
  }

  /**
   * The newest completed requests of a voice since {@code since}, at most {@code limit}: their
   * audio milliseconds times their speed (the length at speed 1) and their characters. Walks
   * idx_requests_status_created backwards from now, so it reads about {@code limit} rows of that
   * voice plus the other voices' rows in between; callers keep the answer for minutes.
   */
  SpokenSample spokenSample(String voice, Instant since, int limit) {
    return jdbc.sql(
            """
            SELECT coalesce(sum(audio_duration_ms * speed), 0) AS ms,
                   coalesce(sum(text_length), 0) AS chars, count(*) AS n
              FROM (SELECT audio_duration_ms, speed, text_length FROM requests
                     WHERE status = 'completed' AND created_at >= ? AND voice = ?
                       AND audio_duration_ms > 0 AND text_length > 0
                     ORDER BY created_at DESC LIMIT ?) recent
            """)
        .param(OffsetDateTime.ofInstant(since, ZoneOffset.UTC))
        .param(voice)
        .param(limit)
        .query(
            (rs, row) -> new SpokenSample(rs.getDouble("ms"), rs.getLong("chars"), rs.getLong("n")))
        .single();
  }

  /** Audio milliseconds at speed 1 over characters, and how many requests were measured. */
  record SpokenSample(double millisAtSpeedOne, long characters, long requests) {}

  /** Adds counted hits to their cache entries, all in one statement. */
  void addCacheHits(Map<String, Long> hits) {
    jdbc.sql(
            """
            UPDATE audio_cache a SET hits = a.hits + h.n
            FROM unnest(CAST(:keys AS text[]), CAST(:counts AS bigint[])) AS h(content_key, n)
            WHERE a.content_key = h.content_key
            """)
        .param("keys", hits.keySet().toArray(String[]::new))
        .param("counts", hits.values().toArray(Long[]::new))
        .update();
  }

  /** Forgets a cache entry whose audio object has gone missing from the store. */
  public void forgetCachedAudio(String contentKey) {
    jdbc.sql("DELETE FROM audio_cache WHERE content_key = :key").param("key", contentKey).update();
  }

  /**
   * @param ssmlMarks for the audio of an SSML document, its marks' times as JSON; else null
   */
  public record CachedAudio(long bytes, long durationMs, String ssmlMarks) {}

  /** The request's events, oldest first. */
  public List<String> events(UUID id) {
    return jdbc.sql("SELECT event FROM logs WHERE request_id = :id ORDER BY id")
        .param("id", id)
        .query(String.class)
        .list();
  }

  private TtsRequest wroteFor(TtsRequest r) {
    router.wrote(r.userId());
    return r;
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

  /** What a status snapshot reads of a request: everything but its text. */
  private static final String STATUS_COLUMNS =
      """
      id, user_id, status, progress, voice, format, created_at, started_at, completed_at, error,
      audio_bytes, audio_duration_ms, priority\
      """;

  /**
   * A status snapshot from a row of {@link #STATUS_COLUMNS}, without the SSML report (a list shows
   * none).
   */
  private static StatusSnapshot statusSnapshot(ResultSet rs, int row) throws SQLException {
    RequestStatus status = RequestStatus.fromWire(rs.getString("status"));
    return new StatusSnapshot(
        rs.getObject("id", UUID.class),
        rs.getObject("user_id", UUID.class),
        status,
        status == RequestStatus.COMPLETED ? 1.0 : rs.getDouble("progress"),
        rs.getString("voice"),
        rs.getString("format"),
        instant(rs, "created_at"),
        instant(rs, "started_at"),
        instant(rs, "completed_at"),
        rs.getString("error"),
        nullableLong(rs, "audio_bytes"),
        nullableLong(rs, "audio_duration_ms"),
        Priority.parse(rs.getString("priority")).orElse(null),
        null);
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
        new TtsRequest.Speech(
            rs.getString("text"),
            rs.getString("language"),
            rs.getString("voice_requested"),
            rs.getString("voice"),
            rs.getDouble("speed"),
            rs.getDouble("pitch"),
            AudioFormat.parse(rs.getString("format")).orElseThrow(),
            rs.getInt("sample_rate"),
            rs.getString("content_key"),
            rs.getInt("text_length"),
            rs.getString("ssml"),
            rs.getString("spoken_text")),
        new TtsRequest.Outcome(
            rs.getBoolean("cache_hit"),
            rs.getInt("attempt"),
            rs.getDouble("progress"),
            rs.getString("error"),
            nullableLong(rs, "audio_bytes"),
            nullableLong(rs, "audio_duration_ms"),
            instant(rs, "started_at"),
            instant(rs, "completed_at"),
            instant(rs, "updated_at")));
  }
}
