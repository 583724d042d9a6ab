package dev.ttsapi.queue;

import dev.ttsapi.redis.Redis;
import dev.ttsapi.redis.RedisScript;
import java.util.ArrayList;
import java.util.List;
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
    String stream = partition.stream(job.priority());
    if (job.userId() == null) {
      return redis.sync().xadd(stream, Entries.fields(job)); // no user: nothing remembers its place
    }
    // through the script that numbers the entry, so its place stays O(1) to read (queue-entry.lua)
    List<String> args = new ArrayList<>();
    args.add(Integer.toString(job.priority().ordinal() + 1));
    args.add(job.requestId().toString());
    Entries.fields(job)
        .forEach(
            (name, value) -> {
              args.add(name);
              args.add(value);
            });
    return redis.eval(
        RedisScript.QUEUE_ENQUEUE, List.of(stream, partition.entries(job.userId())), args);
  }
}
