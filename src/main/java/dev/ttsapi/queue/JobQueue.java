package dev.ttsapi.queue;

import dev.ttsapi.config.Await;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The priority queues: one Redis stream per {@link Priority}, all read by the consumer group
 * {@value #GROUP}. Entries are acknowledged late (after the work is stored) and then deleted, so a
 * stream holds only jobs that wait or run and its length is the queue's depth. An entry left idle
 * longer than the visibility timeout belongs to a dead worker and is handed out again by {@link
 * #claimIdle}.
 *
 * <p>New requests enter through {@link #admit}, under a per-user cap: one user's backlog waits
 * outside the streams ({@link PerUserCap}), so it never stands in front of other users' requests.
 */
public class JobQueue {

  public static final String GROUP = "workers";
  public static final String DEAD_LETTER_STREAM = "{tts}:q:dead";

  private static final int PAGE = 1000;
  private static final Priority[] HIGH_FIRST = {Priority.HIGH, Priority.NORMAL, Priority.LOW};
  private static final Priority[] LOW_FIRST = {Priority.LOW, Priority.NORMAL, Priority.HIGH};

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> shared;
  private final QueueProperties properties;
  private final Clock clock;
  private final PerUserCap perUser;

  public JobQueue(
      RedisClient client,
      StatefulRedisConnection<String, String> shared,
      QueueProperties properties,
      Clock clock) {
    this.client = client;
    this.shared = shared;
    this.properties = properties;
    this.clock = clock;
    this.perUser = new PerUserCap(shared, properties.perUserMaxJobs());
  }

  /** Creates the streams and the consumer group where missing (also after Redis lost its data). */
  public void ensureGroups() {
    RedisCommands<String, String> redis = shared.sync();
    for (Priority priority : Priority.values()) {
      try {
        redis.xgroupCreate(
            StreamOffset.from(priority.streamKey(), "0"),
            GROUP,
            XGroupCreateArgs.Builder.mkstream(true));
      } catch (RedisBusyException alreadyThere) {
        // BUSYGROUP: the group exists, which is what we want
      }
    }
  }

  /**
   * Adds the job to its stream regardless of its user's cap. New requests go through {@link
   * #admit}; this is for a job that already holds its place (a retry) or has no user.
   */
  public String enqueue(Job job) {
    return shared.sync().xadd(job.priority().streamKey(), fields(job));
  }

  /**
   * Offers {@code userId}'s job under the per-user cap ({@code tts.queue.per-user-max-jobs}): into
   * its stream if the user has fewer than the cap there, else held back until one of theirs ends. A
   * job that still holds a place but lost its entry is added again. Sent without waiting for the
   * answer, so the caller can pipeline other commands in the same round trip.
   */
  public RedisFuture<Long> admitAsync(Job job, UUID userId) {
    return perUser.admitAsync(job, userId);
  }

  public Admission admit(Job job, UUID userId) {
    return Admission.fromScript(Await.result(admitAsync(job, userId)));
  }

  /**
   * Acknowledges and deletes the entry of a job that has ended for good (completed, failed,
   * cancelled or gone), frees its place under its user's cap and moves the user's next held job
   * into the streams, in one step. Use {@link #ack} instead while the request may still run.
   */
  public void finish(Delivery delivery) {
    perUser.finish(
        delivery.job().priority(), delivery.entryId(), delivery.job().requestId(), GROUP);
  }

  /**
   * Frees the place of a request that ended with no entry left to acknowledge, and moves its user's
   * next held job in. False if it held no place.
   */
  public boolean release(UUID requestId) {
    return perUser.finish(Priority.NORMAL, null, requestId, GROUP) >= 0;
  }

  /** Users with jobs held back by the per-user cap. */
  public Set<UUID> usersWithHeldJobs() {
    return perUser.holders();
  }

  /** Request id → user id of every job holding a place in the streams under the per-user cap. */
  public Map<UUID, UUID> admittedJobs() {
    return perUser.admitted();
  }

  /**
   * Recounts the places and held jobs from what Redis holds, then moves held jobs in wherever a
   * user is below the cap (after a raise of the cap, or a lost place freed by the sweeper). Returns
   * how many moved.
   */
  public long promoteHeld() {
    return perUser.promoteAll();
  }

  /**
   * Jobs held back by the per-user cap, per priority; they are waiting too, outside the streams.
   */
  public Map<Priority, Long> heldDepths() {
    return PerUserCap.heldCounts(Await.result(perUser.heldCountsAsync()));
  }

  /** Acknowledges a finished delivery and deletes its entry. */
  public void ack(Delivery delivery) {
    RedisAsyncCommands<String, String> redis = shared.async();
    String key = delivery.job().priority().streamKey();
    RedisFuture<Long> ack = redis.xack(key, GROUP, delivery.entryId());
    RedisFuture<Long> del = redis.xdel(key, delivery.entryId());
    Await.result(ack);
    Await.result(del);
  }

  /** Puts the job back at the end of its stream as a new entry and drops the old one. */
  public void retry(Delivery delivery) {
    enqueue(delivery.job());
    ack(delivery);
  }

  /** Copies the job to the dead-letter stream with its error, then drops the original entry. */
  public void deadLetter(Delivery delivery, int attempts, String error) {
    recordDeadLetter(delivery.job(), attempts, error);
    finish(delivery);
  }

  /**
   * Records a job that failed for good in the dead-letter stream (it has no entry to drop) and
   * frees its place.
   */
  public void deadLetter(Job job, int attempts, String error) {
    recordDeadLetter(job, attempts, error);
    release(job.requestId());
  }

  private void recordDeadLetter(Job job, int attempts, String error) {
    Map<String, String> body = fields(job);
    body.put("attempts", Integer.toString(attempts));
    body.put("error", error == null ? "" : error);
    body.put("failed_at", clock.instant().toString());
    shared
        .sync()
        .xadd(
            DEAD_LETTER_STREAM,
            XAddArgs.Builder.maxlen(properties.deadLetterMaxLength()).approximateTrimming(),
            body);
  }

  /**
   * Takes over entries that have been idle longer than the visibility timeout, whoever holds them:
   * their worker died. The caller decides per entry whether to retry, dead-letter or drop.
   */
  public List<Delivery> claimIdle(String consumer, int max) {
    List<Delivery> claimed = new ArrayList<>();
    for (Priority priority : Priority.values()) {
      ClaimedMessages<String, String> result =
          shared
              .sync()
              .xautoclaim(
                  priority.streamKey(),
                  XAutoClaimArgs.Builder.xautoclaim(
                          Consumer.from(GROUP, consumer), properties.visibilityTimeout(), "0-0")
                      .count(max));
      for (StreamMessage<String, String> message : result.getMessages()) {
        parse(priority, message).ifPresent(claimed::add);
      }
    }
    return claimed;
  }

  /**
   * Resets the idle time of entries this consumer is still working on, so a long healthy job is not
   * mistaken for one whose worker died.
   */
  public void renew(String consumer, List<Delivery> inFlight) {
    Map<Priority, List<String>> byStream = new EnumMap<>(Priority.class);
    for (Delivery delivery : inFlight) {
      byStream
          .computeIfAbsent(delivery.job().priority(), p -> new ArrayList<>())
          .add(delivery.entryId());
    }
    byStream.forEach(
        (priority, ids) ->
            shared
                .sync()
                .xclaim(
                    priority.streamKey(),
                    Consumer.from(GROUP, consumer),
                    XClaimArgs.Builder.minIdleTime(0).justid(),
                    ids.toArray(String[]::new)));
  }

  /**
   * Entries waiting or running per priority: what the streams hold. Jobs held back by the per-user
   * cap are not in them ({@link #heldDepths}).
   */
  public Map<Priority, Long> depths() {
    RedisAsyncCommands<String, String> redis = shared.async();
    Map<Priority, RedisFuture<Long>> futures = new EnumMap<>(Priority.class);
    for (Priority priority : Priority.values()) {
      futures.put(priority, redis.xlen(priority.streamKey()));
    }
    Map<Priority, Long> depths = new EnumMap<>(Priority.class);
    futures.forEach((priority, future) -> depths.put(priority, Await.result(future)));
    return depths;
  }

  /**
   * The request ids of every entry in the priority streams. Entries are deleted once done, so this
   * is the waiting and running work, read in pages.
   */
  public Set<UUID> queuedRequestIds() {
    Set<UUID> ids = new HashSet<>();
    RedisCommands<String, String> redis = shared.sync();
    for (Priority priority : Priority.values()) {
      Range.Boundary<String> from = Range.Boundary.unbounded();
      while (true) {
        List<StreamMessage<String, String>> page =
            redis.xrange(
                priority.streamKey(),
                Range.from(from, Range.Boundary.unbounded()),
                Limit.from(PAGE));
        for (StreamMessage<String, String> message : page) {
          // A malformed entry names no request; the reader that meets it drops it.
          requestId(message.getBody()).ifPresent(ids::add);
        }
        if (page.size() < PAGE) {
          break;
        }
        from = Range.Boundary.excluding(page.getLast().getId());
      }
    }
    return ids;
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
    for (GroupConsumer consumer : consumers()) {
      if (consumer.pending() == 0 && consumer.idleMillis() >= idleFor.toMillis()) {
        shared
            .sync()
            .xgroupDelconsumer(
                consumer.priority().streamKey(), Consumer.from(GROUP, consumer.name()));
        removed++;
      }
    }
    return removed;
  }

  /** One consumer of the workers' group on one priority stream, as XINFO CONSUMERS tells it. */
  public record GroupConsumer(Priority priority, String name, long pending, long idleMillis) {}

  /** Every consumer of the workers' group, stream by stream (none for a stream not made yet). */
  public List<GroupConsumer> consumers() {
    List<GroupConsumer> consumers = new ArrayList<>();
    for (Priority priority : Priority.values()) {
      List<Object> replies;
      try {
        replies = shared.sync().xinfoConsumers(priority.streamKey(), GROUP);
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
          consumers.add(
              new GroupConsumer(priority, String.valueOf(fields.get("name")), pending, idle));
        }
      }
    }
    return consumers;
  }

  public long deadLetterCount() {
    return shared.sync().xlen(DEAD_LETTER_STREAM);
  }

  /** Opens a reader with its own connection: its blocking reads must not hold up others. */
  public Reader reader(String consumer) {
    return new Reader(client.connect(), consumer);
  }

  /**
   * Reads one job at a time for one consumer, highest priority first. Every {@code
   * fairnessInterval}-th read starts from the lowest priority so low is never starved.
   */
  public final class Reader implements AutoCloseable {

    private final StatefulRedisConnection<String, String> connection;
    private final Consumer<String> consumer;
    private final Deque<Delivery> alreadyRead = new ArrayDeque<>();
    private long reads;

    private Reader(StatefulRedisConnection<String, String> connection, String consumer) {
      this.connection = connection;
      this.consumer = Consumer.from(GROUP, consumer);
    }

    /**
     * The next job for this consumer, waiting up to the block timeout; empty if none came. A
     * missing group (Redis restarted empty) is created again.
     */
    public Optional<Delivery> next() {
      if (!alreadyRead.isEmpty()) {
        return Optional.of(alreadyRead.poll());
      }
      Priority[] order = (++reads % properties.fairnessInterval() == 0) ? LOW_FIRST : HIGH_FIRST;
      try {
        return read(order);
      } catch (RedisCommandExecutionException e) {
        if (lostStreams(e)) {
          // Redis lost its data (restart without persistence, FLUSHDB): make the streams and
          // the group again. PostgreSQL's sweeper re-enqueues what was waiting.
          ensureGroups();
          return Optional.empty();
        }
        throw e;
      }
    }

    private Optional<Delivery> read(Priority[] order) {
      RedisCommands<String, String> redis = connection.sync();
      for (Priority priority : order) {
        List<StreamMessage<String, String>> messages =
            redis.xreadgroup(
                consumer,
                XReadArgs.Builder.count(1),
                StreamOffset.lastConsumed(priority.streamKey()));
        if (!messages.isEmpty()) {
          return parse(priority, messages.getFirst());
        }
      }
      // Nothing waiting: block on all streams at once. Redis may answer with one entry from
      // several streams; they are ours now, so they are kept and handed out next.
      @SuppressWarnings("unchecked")
      StreamOffset<String>[] offsets = new StreamOffset[order.length];
      for (int i = 0; i < order.length; i++) {
        offsets[i] = StreamOffset.lastConsumed(HIGH_FIRST[i].streamKey());
      }
      List<StreamMessage<String, String>> messages =
          redis.xreadgroup(
              consumer, XReadArgs.Builder.block(properties.blockTimeout()).count(1), offsets);
      for (StreamMessage<String, String> message : messages) {
        Priority.parse(message.getStream().substring("{tts}:q:".length()))
            .flatMap(p -> parse(p, message))
            .ifPresent(alreadyRead::add);
      }
      return Optional.ofNullable(alreadyRead.poll());
    }

    private static boolean lostStreams(RedisCommandExecutionException e) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      return message.startsWith("NOGROUP") || message.startsWith("UNBLOCKED");
    }

    /**
     * Deliveries this reader took from Redis but has not handed out yet; they are its to return.
     */
    public java.util.List<Delivery> drainUnread() {
      java.util.List<Delivery> unread = new java.util.ArrayList<>(alreadyRead);
      alreadyRead.clear();
      return unread;
    }

    @Override
    public void close() {
      connection.close();
    }
  }

  private static Map<String, String> fields(Job job) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("request_id", job.requestId().toString());
    body.put("created_at", job.createdAt().toString());
    if (job.lostBeforeStart() > 0) {
      body.put("lost_before_start", Integer.toString(job.lostBeforeStart()));
    }
    return body;
  }

  private Optional<Delivery> parse(Priority priority, StreamMessage<String, String> message) {
    Optional<Job> job = job(priority, message.getBody());
    if (job.isEmpty()) {
      // A malformed entry (a field missing or unreadable) can never be run: drop it rather than
      // let it stop the reader or the reclaimer, or be reclaimed forever.
      String key = priority.streamKey();
      shared.sync().xack(key, GROUP, message.getId());
      shared.sync().xdel(key, message.getId());
      return Optional.empty();
    }
    return Optional.of(new Delivery(job.get(), message.getId()));
  }

  private static Optional<Job> job(Priority priority, Map<String, String> body) {
    Optional<UUID> id = requestId(body);
    if (id.isEmpty() || body.get("created_at") == null) {
      return Optional.empty();
    }
    try {
      String lost = body.getOrDefault("lost_before_start", "0");
      return Optional.of(
          new Job(
              id.get(), Instant.parse(body.get("created_at")), priority, Integer.parseInt(lost)));
    } catch (DateTimeParseException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<UUID> requestId(Map<String, String> body) {
    String id = body == null ? null : body.get("request_id");
    if (id == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
