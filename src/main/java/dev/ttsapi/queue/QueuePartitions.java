package dev.ttsapi.queue;

import io.lettuce.core.cluster.SlotHash;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * How the queue is spread over Redis: {@code tts.queue.partitions} partitions, each its own hash
 * slot (so, on a Cluster, on any master), each user's jobs all in one. With one partition (the
 * default, for a single Redis server) the keys are {@code {tts}:q:high} and so on; with more, a
 * Cluster spreads the queue's work over its masters.
 *
 * <p>Partition i's tag is chosen so its slot lies in the i-th of N equal shares of the 16384 slots:
 * {@code redis-cli --cluster create} gives each master an equal run of slots, so N partitions on N
 * masters (or a multiple) land one per master. The plain {@code {tts:0}}, {@code {tts:1}}, {@code
 * {tts:2}} would not: their slots (337, 4464, 8467) leave a third master of such a cluster idle.
 */
public final class QueuePartitions {

  private static final int SLOTS = SlotHash.SLOT_COUNT;

  private final List<QueuePartition> partitions;

  public QueuePartitions(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("at least one queue partition");
    }
    this.partitions =
        IntStream.range(0, count)
            .mapToObj(i -> new QueuePartition(i, count == 1 ? "{tts}" : tag(i, count)))
            .toList();
  }

  /**
   * {@code {tts:<i>}} if its slot is in partition i's share of the slots, else the first {@code
   * {tts:<i>.<k>}} whose slot is: the same on every node, as it depends on i and N alone.
   */
  static String tag(int index, int count) {
    int from = (int) ((long) SLOTS * index / count);
    int to = (int) ((long) SLOTS * (index + 1) / count);
    String name = "tts:" + index;
    for (int k = 0; ; k++) {
      int slot = SlotHash.getSlot(name);
      if (slot >= from && slot < to) {
        return "{" + name + "}";
      }
      name = "tts:" + index + "." + k;
    }
  }

  /** The partition of a user's jobs; the same on every node, as it depends on the id alone. */
  public QueuePartition of(UUID userId) {
    return partitions.get(Math.floorMod(userId.hashCode(), partitions.size()));
  }

  public List<QueuePartition> all() {
    return partitions;
  }
}
