package dev.ttsapi.queue;

import dev.ttsapi.redis.Redis;
import io.lettuce.core.Consumer;
import java.time.Duration;
import java.util.UUID;

/** Housekeeping of the queue, for the maintenance role and for a worker starting up. */
public class QueueUpkeep {

  private final Redis redis;
  private final QueuePartitions partitions;
  private final PerUserCap cap;
  private final QueueGroups groups;
  private final QueueInspector inspector;

  QueueUpkeep(
      Redis redis,
      QueuePartitions partitions,
      PerUserCap cap,
      QueueGroups groups,
      QueueInspector inspector) {
    this.redis = redis;
    this.partitions = partitions;
    this.cap = cap;
    this.groups = groups;
    this.inspector = inspector;
  }

  /** Creates the streams and the consumer groups where missing (also after Redis lost its data). */
  public void ensureGroups() {
    groups.ensure();
  }

  /**
   * Recounts the places and held jobs from what Redis holds, then moves held jobs in wherever a
   * user is below the cap (after a raise of the cap, or a lost place freed by the sweeper). Returns
   * how many moved.
   */
  public long promoteHeld() {
    long moved = 0;
    for (QueuePartition partition : partitions.all()) {
      cap.recount(partition);
      for (UUID user : cap.holders(partition)) {
        moved += cap.promote(partition, user);
      }
    }
    return moved;
  }

  /**
   * Removes from the workers' group every consumer that holds no entry and has not read for {@code
   * idleFor}. Each worker start adds a consumer with a new name, and Redis keeps them all until
   * told otherwise, so without this the group (and the admin page's worker list) grows with every
   * restart. A consumer with entries is kept: they are its jobs, or the reclaimer's to take. A
   * worker that is in fact alive loses nothing: its next read makes its consumer again.
   *
   * @return how many consumers were removed
   */
  public int forgetIdleConsumers(Duration idleFor) {
    int removed = 0;
    for (QueueInspector.GroupConsumer consumer : inspector.consumers()) {
      if (consumer.pending() == 0
          && consumer.idleMillis() >= idleFor.toMillis()
          && !consumer.alive()) {
        redis
            .sync()
            .xgroupDelconsumer(consumer.stream(), Consumer.from(QueueKeys.GROUP, consumer.name()));
        removed++;
      }
    }
    return removed;
  }
}
