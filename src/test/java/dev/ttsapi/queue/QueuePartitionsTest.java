package dev.ttsapi.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Partitions land on different masters of a cluster made the usual way (equal runs of slots per
 * master), and a user's cap keys share their stream's slot, so the cap's scripts stay atomic.
 */
class QueuePartitionsTest {

  @Test
  void n_partitions_fall_in_n_equal_shares_of_the_slots() {
    for (int n : List.of(2, 3, 4, 6, 16)) {
      List<QueuePartition> partitions = new QueuePartitions(n).all();
      for (QueuePartition p : partitions) {
        int slot = SlotHash.getSlot(p.stream(Priority.NORMAL));
        assertThat(slot)
            .as("partition %d of %d (%s)", p.index(), n, p.tag())
            .isGreaterThanOrEqualTo(SlotHash.SLOT_COUNT * p.index() / n)
            .isLessThan(SlotHash.SLOT_COUNT * (p.index() + 1) / n);
      }
    }
  }

  @Test
  void three_partitions_use_all_three_masters_of_a_three_master_cluster() {
    // redis-cli --cluster create: 0-5460, 5461-10922, 10923-16383
    assertThat(new QueuePartitions(3).all())
        .extracting(p -> SlotHash.getSlot(p.tag() + ":q:high") * 3 / SlotHash.SLOT_COUNT)
        .containsExactly(0, 1, 2);
  }

  @Test
  void every_key_of_a_partition_and_a_users_held_lists_share_one_slot() {
    QueuePartitions partitions = new QueuePartitions(3);
    UUID user = UUID.randomUUID();
    QueuePartition p = partitions.of(user);
    int slot = SlotHash.getSlot(p.streams().getFirst());
    List<String> keys = new java.util.ArrayList<>(p.capKeys());
    keys.addAll(p.streams());
    keys.addAll(p.heldLists(user));
    keys.add(p.entries(user));
    keys.add(p.heldAt(user));
    assertThat(keys).allSatisfy(k -> assertThat(SlotHash.getSlot(k)).as(k).isEqualTo(slot));
  }

  @Test
  void one_partition_keeps_the_single_server_keys() {
    assertThat(new QueuePartitions(1).all().getFirst().stream(Priority.HIGH))
        .isEqualTo("{tts}:q:high");
  }
}
