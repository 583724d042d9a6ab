package dev.ttsapi.speech;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Records a streamed request in {@code usage_daily}, once, when its stream ends: streamed speech
 * has no row in {@code requests}, so this is its only trace in the usage reports. The same upsert
 * the request package makes when a queued request completes.
 */
@Component
class SpeechUsage {

  private final JdbcClient jdbc;
  private final Clock clock;

  SpeechUsage(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  void record(
      UUID userId, long characters, double audioSeconds, long inputTokens, long outputTokens) {
    jdbc.sql(
            """
            INSERT INTO usage_daily (user_id, day, requests, characters, audio_seconds,
              input_tokens, output_tokens)
            VALUES (:userId, :day, 1, :characters, :seconds, :inputTokens, :outputTokens)
            ON CONFLICT (user_id, day) DO UPDATE SET
              requests = usage_daily.requests + 1,
              characters = usage_daily.characters + EXCLUDED.characters,
              audio_seconds = usage_daily.audio_seconds + EXCLUDED.audio_seconds,
              input_tokens = usage_daily.input_tokens + EXCLUDED.input_tokens,
              output_tokens = usage_daily.output_tokens + EXCLUDED.output_tokens
            """)
        .param("userId", userId)
        .param("day", clock.instant().atOffset(ZoneOffset.UTC).toLocalDate())
        .param("characters", characters)
        .param("seconds", audioSeconds)
        .param("inputTokens", inputTokens)
        .param("outputTokens", outputTokens)
        .update();
  }
}
