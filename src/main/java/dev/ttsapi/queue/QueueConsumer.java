package dev.ttsapi.queue;

import dev.ttsapi.redis.Redis;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.models.stream.PendingMessages;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What a worker does with the queue: reads jobs ({@link #reader}), and settles each delivery once
 * its work is done. Entries are acknowledged late (after the work is stored) and then deleted, so a
 * stream holds only jobs that wait or run. An entry left idle longer than the visibility timeout
 * belongs to a dead worker and is handed out again by {@link #claimIdle}.
 */
public class QueueConsumer {

  private final Redis redis;
  private final QueuePartitions partitions;
  private final PerUserCap cap;
  private final QueueProducer producer;
  private final QueueGroups groups;
  private final QueueProperties properties;
  private final Clock clock;

  QueueConsumer(
      Redis redis,
      QueuePartitions partitions,
      PerUserCap cap,
      QueueProducer producer,
      QueueGroups groups,
      QueueProperties properties,
      Clock clock) {
    this.redis = redis;
    this.partitions = partitions;
    this.cap = cap;
    this.producer = producer;
    this.groups = groups;
    this.properties = properties;
    this.clock = clock;
  }

  /** The partitions to read; a worker reads each with a reader of its own. */
  public List<QueuePartition> partitions() {
    return partitions.all();
  }

  /** Opens a reader of one partition, with its own connection: its blocking reads wait alone. */
  public QueueReader reader(QueuePartition partition, String consumer) {
    return new QueueReader(
        redis.blocking(properties.blockTimeout()), partition, consumer, properties, groups, this);
  }

  /**
   * Acknowledges and deletes the entry of a job that has ended for good (completed, failed,
   * cancelled or gone), frees its place under its user's cap and moves the user's next held job
   * into the streams, in one step. Use {@link #ack} instead while the request may still run.
   */
  public void finish(Delivery delivery) {
    cap.finish(delivery.partition(), delivery.job(), delivery.entryId());
  }

  /**
   * {@link #finish} without waiting: sent now, in the same round trip as the caller's other Redis
   * commands of the moment (a completed job's status write and lease release); the caller waits on
   * the future ({@link Redis#await}).
   */
  public CompletableFuture<Long> finishAsync(Delivery delivery) {
    return cap.finishAsync(delivery.partition(), delivery.job(), delivery.entryId());
  }

  /**
   * Frees the place of a job that ended with no entry left to acknowledge, and moves its user's
   * next held job in. False if it held no place.
   */
  public boolean release(Job job) {
    return cap.finish(partitions.of(job.userId()), job, null) >= 0;
  }

  /** Acknowledges a finished delivery and deletes its entry. */
  public void ack(Delivery delivery) {
    RedisFuture<Long> ack =
        redis.async().xack(delivery.stream(), QueueKeys.GROUP, delivery.entryId());
    RedisFuture<Long> del = redis.async().xdel(delivery.stream(), delivery.entryId());
    Redis.await(ack);
    Redis.await(del);
  }

  /** Puts the job back at the end of its stream as a new entry and drops the old one. */
  public void retry(Delivery delivery) {
    producer.enqueue(delivery.partition(), delivery.job());
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
    release(job);
  }

  private void recordDeadLetter(Job job, int attempts, String error) {
    Map<String, String> body = Entries.fields(job);
    body.put("attempts", Integer.toString(attempts));
    body.put("error", error == null ? "" : error);
    body.put("failed_at", clock.instant().toString());
    redis
        .sync()
        .xadd(
            QueueKeys.DEAD_LETTERS,
            XAddArgs.Builder.maxlen(properties.deadLetterMaxLength()).approximateTrimming(),
            body);
  }

  /**
   * Takes over entries that have been idle longer than the visibility timeout, whoever holds them:
   * their worker died. The caller decides per entry whether to retry, dead-letter or drop.
   */
  public List<Delivery> claimIdle(String consumer, int max) {
    List<Delivery> claimed = new ArrayList<>();
    for (QueuePartition partition : partitions.all()) {
      for (Priority priority : Priority.values()) {
        ClaimedMessages<String, String> result =
            redis
                .sync()
                .xautoclaim(
                    partition.stream(priority),
                    XAutoClaimArgs.Builder.xautoclaim(
                            Consumer.from(QueueKeys.GROUP, consumer),
                            properties.visibilityTimeout(),
                            "0-0")
                        .count(max));
        for (StreamMessage<String, String> message : result.getMessages()) {
          delivery(partition, priority, message).ifPresent(claimed::add);
        }
      }
    }
    return claimed;
  }

  /**
   * Announces that {@code consumer} is alive for the next {@code ttl}: one short-lived key per
   * partition ({@code <tag>:q:alive:<consumer>}), refreshed by a live worker well before it
   * expires. A worker killed outright stops refreshing it, and {@link #claimFromSilent} hands its
   * entries to another within about {@code ttl}, long before the visibility timeout.
   */
  public void heartbeat(String consumer, Duration ttl) {
    List<RedisFuture<String>> sets = new ArrayList<>();
    for (QueuePartition partition : partitions.all()) {
      sets.add(
          redis.async().set(partition.alive(consumer), "1", SetArgs.Builder.px(ttl.toMillis())));
    }
    sets.forEach(Redis::await);
  }

  /**
   * Takes over the entries held by consumers whose heartbeat is gone (their worker was killed, or
   * lost its host), whatever their idle time: each consumer with pending entries is looked up by
   * its heartbeat key in the entries' own partition. An entry is claimed only if idle at least
   * {@code silentFor} (the heartbeat's time to live), so a worker that read it a moment ago, or a
   * second reclaimer that got there first, keeps it. The caller decides per entry, as for {@link
   * #claimIdle}.
   */
  public List<Delivery> claimFromSilent(String consumer, Duration silentFor, int max) {
    List<Delivery> claimed = new ArrayList<>();
    for (QueuePartition partition : partitions.all()) {
      for (Priority priority : Priority.values()) {
        String stream = partition.stream(priority);
        PendingMessages summary;
        try {
          summary = redis.sync().xpending(stream, QueueKeys.GROUP);
        } catch (RedisCommandExecutionException e) {
          continue; // no stream or group yet
        }
        for (String holder : summary.getConsumerMessageCount().keySet()) {
          if (holder.equals(consumer)
              || claimed.size() >= max
              || redis.sync().exists(partition.alive(holder)) > 0) {
            continue;
          }
          String[] ids =
              redis
                  .sync()
                  .xpending(
                      stream,
                      Consumer.from(QueueKeys.GROUP, holder),
                      Range.unbounded(),
                      Limit.from(max - claimed.size()))
                  .stream()
                  .map(PendingMessage::getId)
                  .toArray(String[]::new);
          if (ids.length == 0) {
            continue;
          }
          for (StreamMessage<String, String> message :
              redis
                  .sync()
                  .xclaim(
                      stream,
                      Consumer.from(QueueKeys.GROUP, consumer),
                      XClaimArgs.Builder.minIdleTime(silentFor),
                      ids)) {
            if (message != null && message.getBody() != null && !message.getBody().isEmpty()) {
              delivery(partition, priority, message).ifPresent(claimed::add);
            }
          }
        }
      }
    }
    return claimed;
  }

  /**
   * Resets the idle time of entries this consumer is still working on, so a long healthy job is not
   * mistaken for one whose worker died.
   */
  public void renew(String consumer, List<Delivery> inFlight) {
    Map<String, List<String>> byStream = new HashMap<>();
    for (Delivery delivery : inFlight) {
      byStream.computeIfAbsent(delivery.stream(), s -> new ArrayList<>()).add(delivery.entryId());
    }
    byStream.forEach(
        (stream, ids) ->
            redis
                .sync()
                .xclaim(
                    stream,
                    Consumer.from(QueueKeys.GROUP, consumer),
                    XClaimArgs.Builder.minIdleTime(0).justid(),
                    ids.toArray(String[]::new)));
  }

  /**
   * The delivery an entry describes. A malformed entry (a field missing or unreadable) can never be
   * run: it is dropped rather than let it stop the reader or the reclaimer, or be reclaimed
   * forever.
   */
  java.util.Optional<Delivery> delivery(
      QueuePartition partition, Priority priority, StreamMessage<String, String> message) {
    java.util.Optional<Job> job = Entries.job(priority, message.getBody());
    if (job.isEmpty()) {
      String stream = partition.stream(priority);
      redis.sync().xack(stream, QueueKeys.GROUP, message.getId());
      redis.sync().xdel(stream, message.getId());
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new Delivery(job.get(), message.getId(), partition));
  }
}
