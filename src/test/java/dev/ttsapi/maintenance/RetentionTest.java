package dev.ttsapi.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.support.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class RetentionTest extends IntegrationTest {

  @Autowired RetentionTask retention;
  @Autowired PartitionRepository partitions;
  @Autowired AudioStore audio;

  @Test
  void old_partitions_go_with_their_audio_but_audio_a_newer_request_uses_stays() throws Exception {
    OldRequests old = new OldRequests(jdbc);
    YearMonth month = YearMonth.now(ZoneOffset.UTC).minusMonths(3);
    String oldPartition = old.partition(month);
    Instant oldTime = OldRequests.during(month);
    String onlyOld = UUID.randomUUID().toString().replace("-", "");
    String shared = UUID.randomUUID().toString().replace("-", "");
    storeAudio(old, onlyOld);
    storeAudio(old, shared);
    old.completedRequest(oldTime, onlyOld);
    old.completedRequest(oldTime, shared);
    old.completedRequest(Instant.now(), shared);
    old.event(oldTime);
    old.event(Instant.now());

    RetentionTask.Removed removed = retention.run();

    assertThat(removed.partitions()).contains(oldPartition);
    assertThat(partitions.names()).doesNotContain(oldPartition);
    assertThat(audio.find(onlyOld)).isEmpty();
    assertThat(audio.find(shared)).isPresent();
    assertThat(old.cacheEntries(onlyOld)).isZero();
    assertThat(old.cacheEntries(shared)).isOne();
    assertThat(jdbc.sql("SELECT count(*) FROM logs").query(Long.class).single()).isOne();
  }

  @Test
  void partitions_within_the_retention_period_stay() {
    YearMonth now = YearMonth.now(ZoneOffset.UTC);
    int before = partitions.names().size();

    retention.run();

    assertThat(partitions.names()).hasSize(before).contains(OldRequests.partitionOf(now));
  }

  private void storeAudio(OldRequests old, String key) throws Exception {
    audio.put(key, AudioFormat.WAV, out -> out.write("RIFF".getBytes(StandardCharsets.US_ASCII)));
    old.cacheAudio(key);
  }
}
