package dev.ttsapi.queue;

import dev.ttsapi.redis.Redis;
import dev.ttsapi.redis.RedisScript;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * What the queue holds, read without changing it: depths for metrics and the API's limit, the
 * consumers and dead letters for the admin page, and the entries and places the sweeper compares
 * with PostgreSQL. Sums are over every partition.
 */
public class QueueInspector {

  private static final int PAGE = 1000;

  /**
   * Most held jobs, or entries written without a number, read to place one job: a poll's cost stays
   * bounded.
   */
  static final int PLACE_SCAN_LIMIT = 1000;

  private static final int PLACE_PAGE = 100;

  private static final String PLACE_SCAN_LIMIT_ARG = Integer.toString(PLACE_SCAN_LIMIT);
  private static final String PLACE_PAGE_ARG = Integer.toString(PLACE_PAGE);

  private final Redis redis;
  private final QueuePartitions partitions;
  private final PerUserCap cap;

  QueueInspector(Redis redis, QueuePartitions partitions, PerUserCap cap) {
    this.redis = redis;
    this.partitions = partitions;
    this.cap = cap;
  }

  /** A dead letter: a job that failed for good, with its error. */
  public record DeadLetter(
      String entryId,
      String requestId,
      String createdAt,
      int attempts,
      String error,
      String failedAt) {}

  /**
   * One consumer of the workers' group on one stream, as XINFO CONSUMERS tells it, and whether its
   * worker's heartbeat is there. Liveness comes from the heartbeat, not from {@code idle}: before
   * Redis 7.2 an empty blocking read does not reset {@code idle}, so a waiting worker looked dead.
   */
  public record GroupConsumer(
      String stream, String name, long pending, long idleMillis, boolean alive) {}

  /**
   * Entries waiting or running per priority: what the streams hold. Jobs held back by the per-user
   * cap are not in them ({@link #heldDepths}). One pipelined round trip.
   */
  public Map<Priority, Long> depths() {
    Map<Priority, List<RedisFuture<Long>>> futures = new EnumMap<>(Priority.class);
    for (QueuePartition partition : partitions.all()) {
      for (Priority priority : Priority.values()) {
        futures
            .computeIfAbsent(priority, p -> new ArrayList<>())
            .add(redis.async().xlen(partition.stream(priority)));
      }
    }
    Map<Priority, Long> depths = new EnumMap<>(Priority.class);
    futures.forEach(
        (priority, list) ->
            depths.put(priority, list.stream().mapToLong(f -> Redis.await(f)).sum()));
    return depths;
  }

  /** Jobs held back by the per-user cap, per priority; they wait too, outside the streams. */
  public Map<Priority, Long> heldDepths() {
    List<CompletableFuture<Map<String, String>>> futures = new ArrayList<>();
    for (QueuePartition partition : partitions.all()) {
      futures.add(cap.heldCountsAsync(partition));
    }
    Map<Priority, Long> held = new EnumMap<>(Priority.class);
    for (CompletableFuture<Map<String, String>> future : futures) {
      PerUserCap.heldCounts(Redis.await(future)).forEach((p, n) -> held.merge(p, n, Long::sum));
    }
    return held;
  }

  public long deadLetterCount() {
    return redis.sync().xlen(QueueKeys.DEAD_LETTERS);
  }

  /** The newest dead letters, newest first. */
  public List<DeadLetter> newestDeadLetters(int count) {
    return redis
        .sync()
        .xrevrange(QueueKeys.DEAD_LETTERS, Range.unbounded(), Limit.from(count))
        .stream()
        .map(
            m -> {
              Map<String, String> b = m.getBody();
              return new DeadLetter(
                  m.getId(),
                  b.get("request_id"),
                  b.get("created_at"),
                  (int) number(b.get("attempts")),
                  b.get("error"),
                  b.get("failed_at"));
            })
        .toList();
  }

  /** Every consumer of the workers' group, stream by stream (none for a stream not made yet). */
  public List<GroupConsumer> consumers() {
    record Found(String stream, String name, long pending, long idle) {}
    List<Found> found = new ArrayList<>();
    List<RedisFuture<Long>> heartbeats = new ArrayList<>();
    for (QueuePartition partition : partitions.all()) {
      for (String stream : partition.streams()) {
        List<Object> replies;
        try {
          replies = redis.sync().xinfoConsumers(stream, QueueKeys.GROUP);
        } catch (RedisCommandExecutionException e) {
          continue; // no stream or group yet
        }
        for (Object reply : replies) {
          // a flat list of alternating field names and values
          Map<String, Object> fields = new LinkedHashMap<>();
          if (reply instanceof List<?> pairs) {
            for (int i = 0; i + 1 < pairs.size(); i += 2) {
              fields.put(String.valueOf(pairs.get(i)), pairs.get(i + 1));
            }
          }
          if (fields.get("name") != null
              && fields.get("pending") instanceof Long pending
              && fields.get("idle") instanceof Long idle) {
            String name = String.valueOf(fields.get("name"));
            found.add(new Found(stream, name, pending, idle));
            heartbeats.add(redis.async().exists(partition.alive(name)));
          }
        }
      }
    }
    List<GroupConsumer> consumers = new ArrayList<>();
    for (int k = 0; k < found.size(); k++) {
      Found f = found.get(k);
      consumers.add(
          new GroupConsumer(
              f.stream(), f.name(), f.pending(), f.idle(), Redis.await(heartbeats.get(k)) > 0));
    }
    return consumers;
  }

  /**
   * The request ids of every entry in the priority streams. Entries are deleted once done, so this
   * is the waiting and running work, read in pages.
   */
  public Set<UUID> queuedRequestIds() {
    Set<UUID> ids = new HashSet<>();
    for (QueuePartition partition : partitions.all()) {
      for (String stream : partition.streams()) {
        Range.Boundary<String> from = Range.Boundary.unbounded();
        while (true) {
          List<StreamMessage<String, String>> page =
              redis
                  .sync()
                  .xrange(stream, Range.from(from, Range.Boundary.unbounded()), Limit.from(PAGE));
          for (StreamMessage<String, String> message : page) {
            // A malformed entry names no request; the reader that meets it drops it.
            Entries.requestId(message.getBody()).ifPresent(ids::add);
          }
          if (page.size() < PAGE) {
            break;
          }
          from = Range.Boundary.excluding(page.getLast().getId());
        }
      }
    }
    return ids;
  }

  /** Request id → user id of every job holding a place in the streams under the per-user cap. */
  public Map<UUID, UUID> admittedJobs() {
    Map<UUID, UUID> places = new HashMap<>();
    for (QueuePartition partition : partitions.all()) {
      places.putAll(cap.admitted(partition));
    }
    return places;
  }

  /** Users with jobs held back by the per-user cap. */
  public Set<UUID> usersWithHeldJobs() {
    Set<UUID> users = new HashSet<>();
    for (QueuePartition partition : partitions.all()) {
      users.addAll(cap.holders(partition));
    }
    return users;
  }

  /**
   * Where a queued job stands: in its priority's stream (the waiting entries before it: its entry's
   * number minus the first waiting entry's, {@code redis/queue-entry.lua}) or held back by the
   * per-user cap (its index in the user's held list). One script call ({@code
   * redis/queue-place.lua}), so a status poll of a queued job costs one round trip and a few O(log
   * n) lookups however deep the queue; only an entry written without a number (by an older version)
   * is searched for, reading at most {@link #PLACE_SCAN_LIMIT} entries. Changes nothing.
   */
  public QueuePlace place(UUID requestId, UUID userId, Priority priority) {
    List<Long> r =
        Redis.await(placeAsync(requestId, userId, Integer.toString(priority.ordinal() + 1)));
    return placeOf(r);
  }

  /** A job's place, and the priority it was placed in. */
  public record Placed(Priority priority, QueuePlace place) {}

  /**
   * {@link #place}, sent without waiting and without knowing the job's priority: the script takes
   * the priority the queue remembers the job by (its entries or held-at field, {@code
   * redis/queue-entry.lua}), so a status poll can send it together with its status read, one round
   * trip. The place equals {@link #place}'s for the priority it names. Empty when the queue
   * remembers no priority of the job (it is not queued, or was queued without a number by an older
   * version): two O(1) lookups.
   *
   * @param userId the user the job is assumed to be of; a caller must check it against the job's
   */
  public CompletableFuture<Optional<Placed>> placeAsRememberedAsync(UUID requestId, UUID userId) {
    return placeAsync(requestId, userId, "0")
        .thenApply(
            r ->
                r.getFirst() < 0
                    ? Optional.empty()
                    : Optional.of(
                        new Placed(Priority.values()[r.get(5).intValue() - 1], placeOf(r))));
  }

  private CompletableFuture<List<Long>> placeAsync(UUID requestId, UUID userId, String priority) {
    QueuePartition partition = partitions.of(userId);
    List<String> keys = new ArrayList<>(10);
    keys.add(partition.admitted());
    keys.add(partition.admittedCount());
    keys.addAll(partition.streams());
    keys.addAll(partition.heldLists(userId));
    keys.add(partition.entries(userId));
    keys.add(partition.heldAt(userId));
    String id = requestId.toString();
    return redis.evalAsync(
        RedisScript.QUEUE_PLACE,
        keys,
        List.of(
            id,
            userId.toString(),
            priority,
            PLACE_SCAN_LIMIT_ARG,
            PLACE_PAGE_ARG,
            QueueKeys.GROUP,
            // as queue-admit.lua holds it: the id and its creation time, which a UUIDv7 carries
            id + " " + Instant.ofEpochMilli(requestId.getMostSignificantBits() >>> 16)));
  }

  private static QueuePlace placeOf(List<Long> r) {
    return new QueuePlace(r.get(0) == 1, r.get(1), r.get(2), r.get(3), r.get(4) == 1);
  }

  /**
   * Where a job the user submitted now would stand: behind everything waiting in its priority's
   * stream, and held back if the user already has the per-user cap's worth in the streams.
   */
  public QueuePlace placeOfNew(UUID userId, Priority priority) {
    QueuePartition partition = partitions.of(userId);
    long higher = 0;
    for (Priority p : Priority.values()) {
      if (p.ordinal() < priority.ordinal()) {
        higher += waiting(partition.stream(p));
      }
    }
    long admitted = number(redis.sync().hget(partition.admittedCount(), userId.toString()));
    long userAhead = admitted;
    for (Priority p : Priority.values()) {
      if (p.ordinal() <= priority.ordinal()) {
        userAhead += redis.sync().llen(partition.held(userId, p));
      }
    }
    boolean held = userAhead >= cap.cap();
    return new QueuePlace(
        held, waiting(partition.stream(priority)), held ? userAhead : 0, higher, false);
  }

  /** Entries of a stream no worker has taken yet. */
  private long waiting(String stream) {
    long length = redis.sync().xlen(stream);
    if (length == 0) {
      return 0;
    }
    try {
      return Math.max(0, length - redis.sync().xpending(stream, QueueKeys.GROUP).getCount());
    } catch (RedisCommandExecutionException e) {
      return length; // no group yet: nothing was taken
    }
  }

  private static long number(Object value) {
    if (value instanceof Number n) {
      return n.longValue();
    }
    try {
      return value == null ? 0 : Long.parseLong(value.toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
