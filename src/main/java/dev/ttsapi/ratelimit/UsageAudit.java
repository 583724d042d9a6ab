package dev.ttsapi.ratelimit;

import dev.ttsapi.config.ConditionalOnRole;
import dev.ttsapi.config.PeriodicTasks;
import dev.ttsapi.config.Role;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Counts what each user asks of the rate limiter per UTC day in memory and writes it to the {@code
 * rate_limit} table in batches: one multi-row upsert every {@code
 * tts.ratelimit.audit-flush-interval}, when the buffer is full, and at shutdown. Counts of a failed
 * flush are put back and written with the next one.
 */
@Component
@ConditionalOnRole(Role.API)
public class UsageAudit extends PeriodicTasks {

  private static final Logger log = LoggerFactory.getLogger(UsageAudit.class);

  private record Day(UUID userId, LocalDate day) {}

  private static final class Counts {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong characters = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
  }

  private record Row(Day day, long requests, long characters, long refused) {}

  private final JdbcClient jdbc;
  private final RateLimitProperties properties;
  private final Clock clock;
  private volatile Map<Day, Counts> buffer = new ConcurrentHashMap<>();

  UsageAudit(
      JdbcClient jdbc, RateLimitProperties properties, Clock clock, TaskScheduler scheduler) {
    super(scheduler);
    this.jdbc = jdbc;
    this.properties = properties;
    this.clock = clock;
  }

  void record(UUID userId, long requests, long characters, long refused) {
    Day day = new Day(userId, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
    Counts counts = buffer.computeIfAbsent(day, d -> new Counts());
    counts.requests.addAndGet(requests);
    counts.characters.addAndGet(characters);
    counts.refused.addAndGet(refused);
    if (buffer.size() >= properties.auditMaxEntries()) {
      flush();
    }
  }

  @Override
  protected List<Task> tasks() {
    return List.of(new Task(this::flushQuietly, properties.auditFlushInterval()));
  }

  /** Writes what is buffered at shutdown too, after the timer has stopped. */
  @Override
  public synchronized void stop() {
    super.stop();
    flushQuietly();
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      log.warn("Could not write rate-limit usage; it is kept for the next flush: {}", e.toString());
    }
  }

  /** Swaps the buffer for an empty one and writes what it held in one statement. */
  public synchronized void flush() {
    Map<Day, Counts> taken = buffer;
    if (taken.isEmpty()) {
      return;
    }
    buffer = new ConcurrentHashMap<>();
    List<Row> rows = new ArrayList<>(taken.size());
    taken.forEach(
        (day, c) -> rows.add(new Row(day, c.requests.get(), c.characters.get(), c.refused.get())));
    try {
      write(rows);
    } catch (RuntimeException e) {
      rows.forEach(r -> putBack(r));
      throw e;
    }
  }

  private void putBack(Row row) {
    Counts counts = buffer.computeIfAbsent(row.day(), d -> new Counts());
    counts.requests.addAndGet(row.requests());
    counts.characters.addAndGet(row.characters());
    counts.refused.addAndGet(row.refused());
  }

  private void write(List<Row> rows) {
    // A record() racing the swap may still add to the old map after it was read; that rare
    // increment is lost from the audit (never from the limit itself, which lives in Redis).
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO rate_limit (user_id, timestamp, requests, characters, refused_requests)"
                + " VALUES ");
    List<Object> params = new ArrayList<>(rows.size() * 5);
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?)");
      params.add(row.day().userId());
      params.add(
          java.sql.Timestamp.from(Instant.from(row.day().day().atStartOfDay(ZoneOffset.UTC))));
      params.add(row.requests());
      params.add(row.characters());
      params.add(row.refused());
    }
    sql.append(
        " ON CONFLICT (user_id, timestamp) DO UPDATE SET"
            + " requests = rate_limit.requests + EXCLUDED.requests,"
            + " characters = rate_limit.characters + EXCLUDED.characters,"
            + " refused_requests = rate_limit.refused_requests + EXCLUDED.refused_requests");
    jdbc.sql(sql.toString()).params(params).update();
  }
}
