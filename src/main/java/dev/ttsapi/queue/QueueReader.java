package dev.ttsapi.queue;

import dev.ttsapi.redis.Redis;
import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Reads one partition's jobs for one consumer, one at a time, highest priority first; every {@code
 * fairnessInterval}-th read starts from the lowest priority so low is never starved. It has a
 * connection of its own, since it blocks while the queue is empty.
 */
public final class QueueReader implements AutoCloseable {

  private static final Priority[] HIGH_FIRST = {Priority.HIGH, Priority.NORMAL, Priority.LOW};
  private static final Priority[] LOW_FIRST = {Priority.LOW, Priority.NORMAL, Priority.HIGH};

  private final Redis.BlockingConnection connection;
  private final QueuePartition partition;
  private final Consumer<String> consumer;
  private final QueueProperties properties;
  private final QueueGroups groups;
  private final QueueConsumer queue;
  private final Deque<Delivery> alreadyRead = new ArrayDeque<>();
  private long reads;

  QueueReader(
      Redis.BlockingConnection connection,
      QueuePartition partition,
      String consumer,
      QueueProperties properties,
      QueueGroups groups,
      QueueConsumer queue) {
    this.connection = connection;
    this.partition = partition;
    this.consumer = Consumer.from(QueueKeys.GROUP, consumer);
    this.properties = properties;
    this.groups = groups;
    this.queue = queue;
  }

  public QueuePartition partition() {
    return partition;
  }

  /**
   * The next job for this consumer, waiting up to the block timeout; empty if none came. A missing
   * group (Redis restarted empty) is created again; PostgreSQL's sweeper re-enqueues what waited.
   */
  public Optional<Delivery> next() {
    return next(properties.blockTimeout());
  }

  /** {@link #next()}, blocking at most {@code block} (at most the block timeout). */
  public Optional<Delivery> next(java.time.Duration block) {
    if (!alreadyRead.isEmpty()) {
      return Optional.of(alreadyRead.poll());
    }
    Priority[] order = (++reads % properties.fairnessInterval() == 0) ? LOW_FIRST : HIGH_FIRST;
    try {
      return read(
          order,
          block.compareTo(properties.blockTimeout()) < 0 ? block : properties.blockTimeout());
    } catch (RuntimeException e) {
      if (QueueGroups.lost(e)) {
        groups.ensure();
        return Optional.empty();
      }
      throw e;
    }
  }

  private Optional<Delivery> read(Priority[] order, java.time.Duration block) {
    RedisClusterCommands<String, String> redis = connection.commands();
    for (Priority priority : order) {
      List<StreamMessage<String, String>> messages =
          redis.xreadgroup(
              consumer,
              XReadArgs.Builder.count(1),
              StreamOffset.lastConsumed(partition.stream(priority)));
      if (!messages.isEmpty()) {
        return queue.delivery(partition, priority, messages.getFirst());
      }
    }
    // Nothing waiting: block on the partition's streams at once (one slot, so one command even on
    // a Cluster). Redis may answer with one entry from several streams; they are ours now, so they
    // are kept and handed out next.
    @SuppressWarnings("unchecked")
    StreamOffset<String>[] offsets = new StreamOffset[HIGH_FIRST.length];
    for (int i = 0; i < HIGH_FIRST.length; i++) {
      offsets[i] = StreamOffset.lastConsumed(partition.stream(HIGH_FIRST[i]));
    }
    List<StreamMessage<String, String>> messages =
        redis.xreadgroup(consumer, XReadArgs.Builder.block(block).count(1), offsets);
    for (StreamMessage<String, String> message : messages) {
      for (Priority priority : Priority.values()) {
        if (partition.stream(priority).equals(message.getStream())) {
          queue.delivery(partition, priority, message).ifPresent(alreadyRead::add);
        }
      }
    }
    return Optional.ofNullable(alreadyRead.poll());
  }

  /** Deliveries this reader took from Redis but has not handed out yet; they are its to return. */
  public List<Delivery> drainUnread() {
    List<Delivery> unread = new ArrayList<>(alreadyRead);
    alreadyRead.clear();
    return unread;
  }

  @Override
  public void close() {
    connection.close();
  }
}
