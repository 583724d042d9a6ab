package dev.ttsapi.queue;

import dev.ttsapi.redis.Redis;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs.StreamOffset;

/**
 * The consumer groups, made where missing: at start, and again when Redis has lost its data (a
 * restart without persistence, FLUSHDB), which a reader learns from a NOGROUP error.
 */
final class QueueGroups {

  private final Redis redis;
  private final QueuePartitions partitions;

  QueueGroups(Redis redis, QueuePartitions partitions) {
    this.redis = redis;
    this.partitions = partitions;
  }

  void ensure() {
    for (QueuePartition partition : partitions.all()) {
      for (String stream : partition.streams()) {
        ensure(stream, QueueKeys.GROUP);
      }
    }
    ensure(QueueKeys.LIVE_JOBS, QueueKeys.LIVE_GROUP);
  }

  private void ensure(String stream, String group) {
    try {
      redis
          .sync()
          .xgroupCreate(
              StreamOffset.from(stream, "0"), group, XGroupCreateArgs.Builder.mkstream(true));
    } catch (RedisBusyException alreadyThere) {
      // BUSYGROUP: the group exists, which is what we want
    }
  }

  /** Whether a read failed because the stream or its group is gone (Redis lost its data). */
  static boolean lost(RuntimeException e) {
    if (!(e instanceof RedisCommandExecutionException)) {
      return false;
    }
    String message = e.getMessage() == null ? "" : e.getMessage();
    return message.startsWith("NOGROUP") || message.startsWith("UNBLOCKED");
  }
}
