package dev.ttsapi.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.support.IntegrationTest;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** requests is partitioned by month; ids are UUIDv7 so a lookup by id reads one partition. */
class MonthPartitionTest extends IntegrationTest {

  private static final DateTimeFormatter PARTITION =
      DateTimeFormatter.ofPattern("'requests_y'yyyy'm'MM");

  @Autowired RequestRepository repository;

  @Test
  void requests_on_both_sides_of_a_month_boundary_land_in_their_own_month_partition() {
    YearMonth thisMonth = YearMonth.now(ZoneOffset.UTC);
    Instant boundary = thisMonth.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    UUID lastOfMonth = idAt(boundary.minusMillis(1));
    UUID firstOfNext = idAt(boundary);

    repository.insert(row(lastOfMonth));
    repository.insert(row(firstOfNext));

    assertThat(partitionOf(lastOfMonth)).isEqualTo(thisMonth.format(PARTITION));
    assertThat(partitionOf(firstOfNext)).isEqualTo(thisMonth.plusMonths(1).format(PARTITION));
    assertThat(repository.find(lastOfMonth))
        .get()
        .extracting(TtsRequest::createdAt)
        .isEqualTo(boundary.minusMillis(1));
    assertThat(repository.find(firstOfNext))
        .get()
        .extracting(TtsRequest::createdAt)
        .isEqualTo(boundary);
  }

  @Test
  void lookup_by_id_touches_exactly_one_partition() {
    UUID id = idAt(Instant.now());
    repository.insert(row(id));

    List<String> plan =
        jdbc.sql("EXPLAIN SELECT * FROM requests WHERE id = :id AND created_at = :createdAt")
            .param("id", id)
            .param("createdAt", RequestIds.createdAt(id).atOffset(ZoneOffset.UTC))
            .query(String.class)
            .list();

    Matcher partitions =
        Pattern.compile("requests_y\\d{4}m\\d{2}").matcher(String.join("\n", plan));
    long touched = partitions.results().map(m -> m.group()).distinct().count();
    assertThat(touched).as(String.join("\n", plan)).isEqualTo(1);
    assertThat(
            jdbc.sql("SELECT count(*) FROM pg_inherits WHERE inhparent = 'requests'::regclass")
                .query(Long.class)
                .single())
        .as("several partitions exist to choose from")
        .isGreaterThanOrEqualTo(3);
  }

  private String partitionOf(UUID id) {
    return jdbc.sql("SELECT tableoid::regclass::text FROM requests WHERE id = :id")
        .param("id", id)
        .query(String.class)
        .single();
  }

  private static UUID idAt(Instant instant) {
    return new RequestIds(Clock.fixed(instant, ZoneOffset.UTC)).next();
  }

  private static TtsRequest row(UUID id) {
    Instant createdAt = RequestIds.createdAt(id);
    return new TtsRequest(
        id,
        createdAt,
        UUID.randomUUID(),
        RequestStatus.CANCELLED,
        Priority.NORMAL,
        new TtsRequest.Speech(
            "boundary",
            "en-US",
            null,
            "mary:cmu-slt-hsmm",
            1.0,
            0.0,
            AudioFormat.WAV,
            48000,
            "00ff"),
        new TtsRequest.Outcome(false, 0, 0.0, null, null, null, null, createdAt, createdAt));
  }
}
