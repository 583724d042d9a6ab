package dev.ttsapi.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.support.S3IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Retention with the audio in S3: objects go with their partition, never ahead of the store. */
class S3RetentionTest extends S3IntegrationTest {

  @Autowired RetentionTask retention;
  @Autowired PartitionRepository partitions;
  @Autowired AudioStore audio;

  @Test
  void the_audio_of_a_dropped_partition_is_deleted_from_the_bucket() throws Exception {
    OldRequests old = new OldRequests(jdbc);
    YearMonth month = YearMonth.now(ZoneOffset.UTC).minusMonths(3);
    String partition = old.partition(month);
    String key = oldAudio(old, month);
    assertThat(S3.objects(BUCKET, PREFIX)).hasSize(1);

    RetentionTask.Removed removed = retention.run();

    assertThat(removed.partitions()).contains(partition);
    assertThat(removed.audioObjects()).isOne();
    assertThat(S3.objects(BUCKET, PREFIX)).isEmpty();
    assertThat(audio.find(key)).isEmpty();
  }

  @Test
  void while_the_object_store_is_down_nothing_is_dropped_so_no_audio_is_orphaned()
      throws Exception {
    OldRequests old = new OldRequests(jdbc);
    YearMonth month = YearMonth.now(ZoneOffset.UTC).minusMonths(4);
    String partition = old.partition(month);
    oldAudio(old, month);

    S3.stop();
    RetentionTask.Removed whileDown;
    try {
      whileDown = retention.run();
    } finally {
      S3.restart();
    }

    assertThat(whileDown.partitions()).isEmpty();
    assertThat(partitions.names()).contains(partition);
    assertThat(S3.objects(BUCKET, PREFIX)).hasSize(1);
    RetentionTask.Removed onceBack = retention.run();
    assertThat(onceBack.partitions()).contains(partition);
    assertThat(onceBack.audioObjects()).isOne();
    assertThat(S3.objects(BUCKET, PREFIX)).isEmpty();
  }

  /** Audio only a request of {@code month} used; its key. */
  private String oldAudio(OldRequests old, YearMonth month) throws Exception {
    String key = UUID.randomUUID().toString().replace("-", "");
    audio.put(key, AudioFormat.WAV, out -> out.write("RIFF".getBytes(StandardCharsets.US_ASCII)));
    old.cacheAudio(key);
    old.completedRequest(OldRequests.during(month), key);
    return key;
  }
}
