package dev.ttsapi.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.queue.Delivery;
import dev.ttsapi.queue.Job;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.queue.QueueReader;
import dev.ttsapi.request.RequestIds;
import dev.ttsapi.support.IntegrationTest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The order in which a worker takes jobs, read from real Redis streams. */
class PriorityOrderTest extends IntegrationTest {

  private final RequestIds ids = new RequestIds(Clock.systemUTC());

  @BeforeEach
  void holdTheWorker() {
    worker().stop();
  }

  @AfterEach
  void releaseTheWorker() {
    worker().start();
  }

  @Test
  void high_is_served_before_normal_before_low() {
    List<UUID> low = enqueue(Priority.LOW, 3);
    List<UUID> normal = enqueue(Priority.NORMAL, 3);
    List<UUID> high = enqueue(Priority.HIGH, 3);

    List<Delivery> taken = take(9);

    List<UUID> expected = new ArrayList<>(high);
    expected.addAll(normal);
    expected.addAll(low);
    assertThat(taken).extracting(d -> d.job().requestId()).containsExactlyElementsOf(expected);
    assertThat(taken)
        .extracting(d -> d.job().priority())
        .startsWith(Priority.HIGH, Priority.HIGH, Priority.HIGH, Priority.NORMAL);
  }

  @Test
  void low_is_not_starved_while_high_never_empties() {
    List<UUID> low = enqueue(Priority.LOW, 1);
    enqueue(Priority.HIGH, 30);

    List<Delivery> taken = take(10);

    assertThat(taken).extracting(d -> d.job().requestId()).contains(low.getFirst());
  }

  private List<UUID> enqueue(Priority priority, int count) {
    List<UUID> enqueued = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      UUID id = ids.next();
      queue.enqueue(new Job(id, RequestIds.createdAt(id), priority, null));
      enqueued.add(id);
    }
    return enqueued;
  }

  private List<Delivery> take(int count) {
    List<Delivery> taken = new ArrayList<>();
    try (QueueReader reader = queue.reader("priority-test")) {
      for (int i = 0; i < count; i++) {
        taken.add(reader.next().orElseThrow());
      }
    }
    taken.forEach(queue::ack);
    return taken;
  }
}
