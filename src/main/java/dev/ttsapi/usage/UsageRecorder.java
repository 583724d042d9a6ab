package dev.ttsapi.usage;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Adds a streamed request to {@code usage_daily}, once, when its stream ends: streamed speech has
 * no row in {@code requests}, so this is its only trace in the usage reports. The SQL function
 * {@code add_usage} is the same one a completing request calls.
 */
@Component
public class UsageRecorder {

  private final JdbcClient jdbc;
  private final Clock clock;

  UsageRecorder(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  public void record(
      UUID userId, long characters, double audioSeconds, long inputTokens, long outputTokens) {
    jdbc.sql("SELECT add_usage(:userId, :day, :characters, :seconds, :inputTokens, :outputTokens)")
        .param("userId", userId)
        .param("day", clock.instant().atOffset(ZoneOffset.UTC).toLocalDate())
        .param("characters", characters)
        .param("seconds", audioSeconds)
        .param("inputTokens", inputTokens)
        .param("outputTokens", outputTokens)
        .query()
        .singleRow();
  }
}
