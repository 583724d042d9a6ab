package dev.ttsapi.queue;

import dev.ttsapi.redis.Redis;
import java.util.concurrent.CompletableFuture;

/**
 * Puts jobs into the queue. New requests enter through {@link #admit}, under the per-user cap: one
 * user's backlog waits outside the streams ({@link PerUserCap}), so it never stands in front of
 * other users' requests.
 */
public class QueueProducer {

  private final Redis redis;
  private final QueuePartitions partitions;
  private final PerUserCap cap;

  QueueProducer(Redis redis, QueuePartitions partitions, PerUserCap cap) {
    this.redis = redis;
    this.partitions = partitions;
    this.cap = cap;
  }

  /**
   * Offers the job under its user's cap ({@code tts.queue.per-user-max-jobs}): into its stream if
   * the user has fewer than the cap there, else held back until one of theirs ends. A job that
   * still holds a place but lost its entry is added again. Sent without waiting for the answer, so
   * the caller can pipeline other commands in the same round trip.
   */
  public CompletableFuture<Admission> admitAsync(Job job) {
    return cap.admitAsync(job).thenApply(Admission::fromScript);
  }

  public Admission admit(Job job) {
    return Redis.await(admitAsync(job));
  }

  /**
   * Adds the job to its stream regardless of its user's cap: for a job that already holds its place
   * (a retry). New requests go through {@link #admit}.
   */
  public String enqueue(Job job) {
    return enqueue(partitions.of(job.userId()), job);
  }

  String enqueue(QueuePartition partition, Job job) {
    return redis.sync().xadd(partition.stream(job.priority()), Entries.fields(job));
  }
}
