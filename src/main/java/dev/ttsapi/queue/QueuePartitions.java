package dev.ttsapi.queue;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * How the queue is spread over Redis: {@code tts.queue.partitions} partitions, each its own hash
 * slot (so, on a Cluster, on any master), each user's jobs all in one. With one partition (the
 * default, for a single Redis server) the keys are {@code {tts}:q:high} and so on; with more, a
 * Cluster spreads the queue's work over its masters.
 */
public final class QueuePartitions {

  private final List<QueuePartition> partitions;

  public QueuePartitions(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("at least one queue partition");
    }
    this.partitions =
        IntStream.range(0, count)
            .mapToObj(i -> new QueuePartition(i, count == 1 ? "{tts}" : "{tts:" + i + "}"))
            .toList();
  }

  /** The partition of a user's jobs; the same on every node, as it depends on the id alone. */
  public QueuePartition of(UUID userId) {
    return partitions.get(Math.floorMod(userId.hashCode(), partitions.size()));
  }

  public List<QueuePartition> all() {
    return partitions;
  }
}
