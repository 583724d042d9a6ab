package dev.ttsapi.console;

import dev.ttsapi.queue.QueueInspector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * What the admin page shows of Redis: the workers as the queues' consumer group sees them, and the
 * newest dead letters. There is no worker registry: a worker is a consumer of the group, alive
 * while its heartbeat key lasts (tts.worker.heartbeat-ttl), busy if alive and holding
 * unacknowledged jobs. Its idle time is shown but decides nothing: Redis before 7.2 does not reset
 * it on an empty blocking read, so an idle worker would look dead.
 */
@Component
class QueueView {

  record Worker(String name, long pendingJobs, long idleMillis, boolean alive) {
    boolean busy() {
      return alive && pendingJobs > 0;
    }
  }

  private final QueueInspector queue;
  private final ConsoleProperties properties;

  QueueView(QueueInspector queue, ConsoleProperties properties) {
    this.queue = queue;
    this.properties = properties;
  }

  /** Every consumer of the workers' group, its pending jobs summed over the three streams. */
  List<Worker> workers() {
    // name -> {pending, least idle, alive (1) or not (0)}
    Map<String, long[]> byName = new TreeMap<>();
    for (QueueInspector.GroupConsumer consumer : queue.consumers()) {
      byName.merge(
          consumer.name(),
          new long[] {consumer.pending(), consumer.idleMillis(), consumer.alive() ? 1 : 0},
          (a, b) -> new long[] {a[0] + b[0], Math.min(a[1], b[1]), Math.max(a[2], b[2])});
    }
    List<Worker> workers = new ArrayList<>();
    byName.forEach((name, v) -> workers.add(new Worker(name, v[0], v[1], v[2] == 1)));
    return workers;
  }

  /** The newest dead letters, newest first. */
  List<QueueInspector.DeadLetter> newestDeadLetters() {
    return queue.newestDeadLetters(properties.deadLettersShown());
  }
}
