package dev.ttsapi.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.support.IntegrationTest;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class PartitionMaintenanceTest extends IntegrationTest {

  private static final DateTimeFormatter PARTITION =
      DateTimeFormatter.ofPattern("'requests_y'yyyy'm'MM");

  @Autowired MaintenanceTasks maintenance;
  @Autowired PartitionRepository partitions;

  @Test
  void maintenance_keeps_month_partitions_two_months_ahead() {
    YearMonth now = YearMonth.now(ZoneOffset.UTC);
    String twoAhead = now.plusMonths(2).format(PARTITION);
    jdbc.sql("DROP TABLE IF EXISTS " + twoAhead).update(); // as if it had never been made

    maintenance.ensurePartitions();

    assertThat(partitions.names())
        .contains(now.format(PARTITION), now.plusMonths(1).format(PARTITION), twoAhead);
  }

  @Test
  void creating_partitions_again_changes_nothing() {
    int before = partitions.names().size();

    assertThat(partitions.ensure(2)).isZero();
    assertThat(partitions.names()).hasSize(before);
  }
}
