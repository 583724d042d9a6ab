package dev.ttsapi.ratelimit;

import dev.ttsapi.runtime.BatchedCounts;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Counts what each user asks of the rate limiter per UTC day in memory and writes it to the {@code
 * rate_limit} table in batches: one multi-row upsert every {@code
 * tts.ratelimit.audit-flush-interval}, when {@code tts.ratelimit.audit-max-entries} (user, day)
 * rows are waiting, and at shutdown.
 */
@Component
@ConditionalOnRole(Role.API)
public class UsageAudit extends BatchedCounts<UsageAudit.Day> {

  record Day(UUID userId, LocalDate day) {}

  private final JdbcClient jdbc;
  private final Clock clock;

  UsageAudit(
      JdbcClient jdbc, RateLimitProperties properties, Clock clock, TaskScheduler scheduler) {
    super(
        "rate-limit usage",
        3,
        properties.auditFlushInterval(),
        properties.auditMaxEntries(),
        scheduler);
    this.jdbc = jdbc;
    this.clock = clock;
  }

  void record(UUID userId, long requests, long characters, long refused) {
    add(
        new Day(userId, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)),
        requests,
        characters,
        refused);
  }

  /** One multi-row upsert; {@code counts} holds requests, characters and refused per day. */
  @Override
  protected void write(Map<Day, long[]> counts) {
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO rate_limit (user_id, timestamp, requests, characters, refused_requests)"
                + " VALUES ");
    List<Object> params = new ArrayList<>(counts.size() * 5);
    counts.forEach(
        (day, c) -> {
          sql.append(params.isEmpty() ? "" : ", ").append("(?, ?, ?, ?, ?)");
          params.add(day.userId());
          params.add(Timestamp.from(Instant.from(day.day().atStartOfDay(ZoneOffset.UTC))));
          params.add(c[0]);
          params.add(c[1]);
          params.add(c[2]);
        });
    sql.append(
        " ON CONFLICT (user_id, timestamp) DO UPDATE SET"
            + " requests = rate_limit.requests + EXCLUDED.requests,"
            + " characters = rate_limit.characters + EXCLUDED.characters,"
            + " refused_requests = rate_limit.refused_requests + EXCLUDED.refused_requests");
    jdbc.sql(sql.toString()).params(params).update();
  }
}
