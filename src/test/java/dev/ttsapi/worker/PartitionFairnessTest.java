package dev.ttsapi.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.queue.QueuePartitions;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.MarkerEngine;
import dev.ttsapi.support.Payloads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A worker with fewer slots than the queue has partitions still reads every partition: the slot is
 * not kept by one empty partition's blocking read while another partition has work. Here one slot,
 * three partitions and a block timeout of a minute: requests in the second and third partitions
 * complete long before any read could time out.
 */
class PartitionFairnessTest extends IntegrationTest {

  @DynamicPropertySource
  static void oneSlotThreePartitions(DynamicPropertyRegistry registry) {
    registry.add("tts.queue.partitions", () -> "3");
    registry.add("tts.worker.slots", () -> "1");
    registry.add("tts.queue.block-timeout", () -> "60s");
    registry.add("tts.stores.redis-command-timeout", () -> "70s");
  }

  @Autowired private QueuePartitions partitions;

  @Test
  void one_slot_goes_round_every_partition_instead_of_waiting_on_an_empty_one() {
    List<TestUser> users = new ArrayList<>();
    for (int i = 0; users.size() < 2; i++) {
      TestUser user = newUser("partition-user-" + i, Caller.Role.USER);
      int partition = partitions.of(user.caller().userId()).index();
      if (partition != 0 && users.stream().noneMatch(u -> sameHome(u, user))) {
        users.add(user);
      }
    }
    List<String> ids = new ArrayList<>();
    for (TestUser user : users) {
      ids.add(
          api.post(
                  "/tts/request",
                  user.key(),
                  Payloads.submit("Partition fairness.", MarkerEngine.VOICE, "normal"))
              .json()
              .path("request_id")
              .asString());
    }

    // Far under the block timeout: had the slot waited out one empty partition's read, no
    // request would be done yet.
    Awaitility.await()
        .atMost(Duration.ofSeconds(40))
        .until(
            () ->
                jdbc.sql("SELECT count(*) FROM requests WHERE status = 'completed'")
                        .query(Long.class)
                        .single()
                    == ids.size());
    assertThat(ids).hasSize(2);
  }

  private boolean sameHome(TestUser a, TestUser b) {
    return partitions.of(a.caller().userId()).index() == partitions.of(b.caller().userId()).index();
  }
}
