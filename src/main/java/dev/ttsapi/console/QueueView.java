package dev.ttsapi.console;

import dev.ttsapi.config.Await;
import dev.ttsapi.queue.JobQueue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * What the admin page shows of Redis: the workers as the queues' consumer group sees them, and the
 * newest dead letters. There is no worker registry: a worker is a consumer of the group, alive if
 * it read or renewed its jobs lately, busy if it holds unacknowledged jobs.
 */
@Component
class QueueView {

  record Worker(String name, long pendingJobs, long idleMillis, boolean alive) {
    boolean busy() {
      return alive && pendingJobs > 0;
    }
  }

  record DeadLetter(
      String entryId,
      String requestId,
      String createdAt,
      int attempts,
      String error,
      String failedAt) {}

  private final StatefulRedisConnection<String, String> redis;
  private final JobQueue queue;
  private final ConsoleProperties properties;

  QueueView(
      StatefulRedisConnection<String, String> redis, JobQueue queue, ConsoleProperties properties) {
    this.redis = redis;
    this.queue = queue;
    this.properties = properties;
  }

  /** Every consumer of the workers' group, its pending jobs summed over the three streams. */
  List<Worker> workers() {
    Map<String, long[]> byName = new TreeMap<>(); // name -> {pending, least idle}
    for (JobQueue.GroupConsumer consumer : queue.consumers()) {
      byName.merge(
          consumer.name(),
          new long[] {consumer.pending(), consumer.idleMillis()},
          (a, b) -> new long[] {a[0] + b[0], Math.min(a[1], b[1])});
    }
    long aliveWithin = properties.workerAliveWithin().toMillis();
    List<Worker> workers = new ArrayList<>();
    byName.forEach((name, v) -> workers.add(new Worker(name, v[0], v[1], v[1] <= aliveWithin)));
    return workers;
  }

  /** The newest dead letters, newest first. */
  List<DeadLetter> newestDeadLetters() {
    List<StreamMessage<String, String>> entries =
        Await.result(
            redis
                .async()
                .xrevrange(
                    JobQueue.DEAD_LETTER_STREAM,
                    Range.unbounded(),
                    Limit.from(properties.deadLettersShown())));
    return entries.stream()
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
