package dev.ttsapi.console;

import dev.ttsapi.config.Await;
import dev.ttsapi.queue.JobQueue;
import dev.ttsapi.queue.Priority;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
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
  private final ConsoleProperties properties;

  QueueView(StatefulRedisConnection<String, String> redis, ConsoleProperties properties) {
    this.redis = redis;
    this.properties = properties;
  }

  /** Every consumer of the workers' group, its pending jobs summed over the three streams. */
  List<Worker> workers() {
    Map<String, long[]> byName = new TreeMap<>(); // name -> {pending, least idle}
    for (Priority priority : Priority.values()) {
      List<Object> consumers;
      try {
        consumers =
            Await.result(redis.async().xinfoConsumers(priority.streamKey(), JobQueue.GROUP));
      } catch (RedisCommandExecutionException e) {
        continue; // no stream or group yet
      }
      for (Object consumer : consumers) {
        Map<String, Object> fields = pairs(consumer);
        String name = String.valueOf(fields.get("name"));
        long pending = number(fields.get("pending"));
        long idle = number(fields.get("idle"));
        byName.merge(
            name,
            new long[] {pending, idle},
            (a, b) -> new long[] {a[0] + b[0], Math.min(a[1], b[1])});
      }
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

  /** XINFO answers a flat list of alternating names and values. */
  private static Map<String, Object> pairs(Object reply) {
    Map<String, Object> map = new TreeMap<>();
    if (reply instanceof List<?> list) {
      for (int i = 0; i + 1 < list.size(); i += 2) {
        map.put(String.valueOf(list.get(i)), list.get(i + 1));
      }
    }
    return map;
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
