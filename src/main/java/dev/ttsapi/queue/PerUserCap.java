package dev.ttsapi.queue;

import dev.ttsapi.redis.Redis;
import dev.ttsapi.redis.RedisScript;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Fairness between users: at most {@code perUserMaxJobs} jobs of one user are in the priority
 * streams at once (waiting or running); the user's other jobs are held back in Redis lists of their
 * own, outside the streams, and move in, highest priority and oldest first, as the user's jobs end.
 * Another user's job therefore never queues behind more than the cap's worth of one user's jobs,
 * however many that user has sent.
 *
 * <p>Each admitted job holds a place, a field of its partition's admitted hash (request id → user).
 * Every change is one Lua script ({@code redis/queue-*.lua}), so a place is taken together with its
 * stream entry, and released together with the entry's acknowledgement and the promotion of the
 * user's next held job: no crash can fall between them. Releasing a place twice does nothing, so
 * duplicate deliveries cannot free more than one. Every key a script touches is passed to it, and
 * all are of the user's partition: one Cluster slot. Whatever Redis loses, the sweeper rebuilds
 * from PostgreSQL through {@link QueueProducer#admit}; {@link QueueUpkeep#promoteHeld} recounts.
 */
final class PerUserCap {

  private final Redis redis;
  private final QueuePartitions partitions;
  private final int cap;

  PerUserCap(Redis redis, QueuePartitions partitions, int cap) {
    this.redis = redis;
    this.partitions = partitions;
    this.cap = cap;
  }

  /** Jobs of one user in the streams at most. */
  int cap() {
    return cap;
  }

  CompletableFuture<Long> admitAsync(Job job) {
    QueuePartition p = partitions.of(job.userId());
    List<String> keys = new ArrayList<>(p.capKeys());
    keys.add(p.stream(job.priority()));
    keys.add(p.held(job.userId(), job.priority()));
    keys.add(p.entries(job.userId()));
    keys.add(p.heldAt(job.userId()));
    return redis.evalAsync(
        RedisScript.QUEUE_ADMIT,
        keys,
        List.of(
            Integer.toString(cap),
            job.requestId().toString(),
            job.userId().toString(),
            job.createdAt().toString(),
            job.priority().wireName(),
            job.contentKey() == null ? "" : job.contentKey()));
  }

  /**
   * Drops the entry (if any) and the job's place, and moves the user's next held jobs in. Returns
   * how many moved in, or -1 if the job held no place.
   */
  long finish(QueuePartition partition, Job job, String entryId) {
    UUID user = job.userId() != null ? job.userId() : owner(partition, job.requestId());
    for (int tries = 0; tries < 2; tries++) {
      long result = Redis.await(sendFinish(partition, job, entryId, user));
      if (result != -2) {
        return result;
      }
      // the place belongs to someone else than the entry says: name that user's keys instead
      user = owner(partition, job.requestId());
      if (user == null) {
        return -1;
      }
    }
    return -1;
  }

  /**
   * {@link #finish}, sent without waiting when the entry names its user (the usual case), so it
   * shares a round trip with the caller's other commands. The rare second try of {@link #finish}
   * (the place is another user's) runs on a virtual thread of its own, never on Redis's I/O thread.
   */
  CompletableFuture<Long> finishAsync(QueuePartition partition, Job job, String entryId) {
    if (job.userId() == null) {
      return CompletableFuture.supplyAsync(() -> finish(partition, job, entryId), VIRTUAL);
    }
    return sendFinish(partition, job, entryId, job.userId())
        .thenCompose(
            result ->
                result == -2
                    ? CompletableFuture.supplyAsync(() -> finish(partition, job, entryId), VIRTUAL)
                    : CompletableFuture.completedFuture(result));
  }

  private static final java.util.concurrent.Executor VIRTUAL =
      task -> Thread.ofVirtual().name("queue-finish").start(task);

  private CompletableFuture<Long> sendFinish(
      QueuePartition partition, Job job, String entryId, UUID user) {
    List<String> keys = new ArrayList<>(partition.capKeys());
    keys.add(partition.stream(job.priority()));
    // keys of the user's partition are in the entry's partition: a user never changes partition
    UUID keyed = user != null ? user : job.requestId();
    keys.addAll(partition.heldLists(keyed));
    keys.addAll(partition.streams());
    keys.add(partition.entries(keyed));
    keys.add(partition.heldAt(keyed));
    return redis.evalAsync(
        RedisScript.QUEUE_FINISH,
        keys,
        List.of(
            Integer.toString(cap),
            entryId == null ? "" : entryId,
            job.requestId().toString(),
            QueueKeys.GROUP,
            keyed.toString()));
  }

  /** Moves one user's held jobs in while they are under the cap. */
  long promote(QueuePartition partition, UUID user) {
    List<String> keys = new ArrayList<>(partition.capKeys());
    keys.addAll(partition.heldLists(user));
    keys.addAll(partition.streams());
    keys.add(partition.entries(user));
    keys.add(partition.heldAt(user));
    return redis.<Long>eval(
        RedisScript.QUEUE_PROMOTE, keys, List.of(Integer.toString(cap), user.toString()));
  }

  /**
   * Recounts the partition's places per user and held jobs per priority from the hash and lists
   * themselves; the holders are read first and the script checks they did not change meanwhile.
   */
  void recount(QueuePartition partition) {
    for (int tries = 0; tries < 5; tries++) {
      List<String> holders = List.copyOf(redis.sync().smembers(partition.holders()));
      List<String> keys = new ArrayList<>(partition.capKeys());
      for (String holder : holders) {
        keys.addAll(partition.heldLists(UUID.fromString(holder)));
      }
      long result = redis.<Long>eval(RedisScript.QUEUE_RECOUNT, keys, holders);
      if (result >= 0) {
        return;
      }
    }
  }

  Set<UUID> holders(QueuePartition partition) {
    Set<UUID> users = new HashSet<>();
    for (String user : redis.sync().smembers(partition.holders())) {
      users.add(UUID.fromString(user));
    }
    return users;
  }

  /** Request id → user id of every job holding a place in the partition. */
  Map<UUID, UUID> admitted(QueuePartition partition) {
    Map<UUID, UUID> places = new java.util.HashMap<>();
    redis
        .sync()
        .hgetall(partition.admitted())
        .forEach((id, user) -> places.put(UUID.fromString(id), UUID.fromString(user)));
    return places;
  }

  CompletableFuture<Map<String, String>> heldCountsAsync(QueuePartition partition) {
    return redis.async().hgetall(partition.heldCount()).toCompletableFuture();
  }

  static Map<Priority, Long> heldCounts(Map<String, String> raw) {
    Map<Priority, Long> held = new EnumMap<>(Priority.class);
    for (Priority priority : Priority.values()) {
      String value = raw.get(priority.wireName());
      held.put(priority, value == null ? 0L : Math.max(0L, Long.parseLong(value)));
    }
    return held;
  }

  private UUID owner(QueuePartition partition, UUID requestId) {
    String user = redis.sync().hget(partition.admitted(), requestId.toString());
    return user == null ? null : UUID.fromString(user);
  }
}
