package dev.ttsapi.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.support.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class RetentionTest extends IntegrationTest {

  private static final DateTimeFormatter PARTITION =
      DateTimeFormatter.ofPattern("'requests_y'yyyy'm'MM");

  @Autowired RetentionTask retention;
  @Autowired PartitionRepository partitions;
  @Autowired AudioStore audio;

  @Test
  void old_partitions_go_with_their_audio_but_audio_a_newer_request_uses_stays() throws Exception {
    YearMonth old = YearMonth.now(ZoneOffset.UTC).minusMonths(3);
    String oldPartition = old.format(PARTITION);
    OffsetDateTime start = old.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    jdbc.sql(
            "CREATE TABLE IF NOT EXISTS "
                + oldPartition
                + " PARTITION OF requests FOR VALUES FROM ('"
                + start
                + "') TO ('"
                + start.plusMonths(1)
                + "')")
        .update();
    Instant oldTime = start.plusDays(3).toInstant();
    Instant now = Instant.now();
    String onlyOld = UUID.randomUUID().toString().replace("-", "");
    String shared = UUID.randomUUID().toString().replace("-", "");
    storeAudio(onlyOld);
    storeAudio(shared);
    insertRequest(oldTime, onlyOld);
    insertRequest(oldTime, shared);
    insertRequest(now, shared);
    insertEvent(oldTime);
    insertEvent(now);

    RetentionTask.Removed removed = retention.run();

    assertThat(removed.partitions()).contains(oldPartition);
    assertThat(partitions.names()).doesNotContain(oldPartition);
    assertThat(audio.find(onlyOld)).isEmpty();
    assertThat(audio.find(shared)).isPresent();
    assertThat(cacheEntries(onlyOld)).isZero();
    assertThat(cacheEntries(shared)).isOne();
    assertThat(jdbc.sql("SELECT count(*) FROM logs").query(Long.class).single()).isOne();
  }

  @Test
  void partitions_within_the_retention_period_stay() {
    YearMonth now = YearMonth.now(ZoneOffset.UTC);
    int before = partitions.names().size();

    retention.run();

    assertThat(partitions.names()).hasSize(before).contains(now.format(PARTITION));
  }

  private void storeAudio(String key) throws Exception {
    audio.put(key, AudioFormat.WAV, out -> out.write("RIFF".getBytes(StandardCharsets.US_ASCII)));
    jdbc.sql(
            "INSERT INTO audio_cache (content_key, format, bytes, duration_ms)"
                + " VALUES (:key, 'wav', 4, 1)")
        .param("key", key)
        .update();
  }

  private void insertRequest(Instant createdAt, String contentKey) {
    OffsetDateTime at = createdAt.atOffset(ZoneOffset.UTC);
    jdbc.sql(
            """
            INSERT INTO requests (id, created_at, user_id, status, priority, text, text_length,
              language, voice, speed, pitch, format, content_key, updated_at)
            VALUES (:id, :at, :user, 'completed', 'normal', 'old', 3, 'en-US',
              'mary:cmu-slt-hsmm', 1, 0, 'wav', :key, :at)
            """)
        .param("id", UUID.randomUUID())
        .param("at", at)
        .param("user", UUID.randomUUID())
        .param("key", contentKey)
        .update();
  }

  private void insertEvent(Instant at) {
    jdbc.sql("INSERT INTO logs (request_id, timestamp, event) VALUES (:id, :at, 'queued')")
        .param("id", UUID.randomUUID())
        .param("at", at.atOffset(ZoneOffset.UTC))
        .update();
  }

  private long cacheEntries(String key) {
    return jdbc.sql("SELECT count(*) FROM audio_cache WHERE content_key = :key")
        .param("key", key)
        .query(Long.class)
        .single();
  }
}
