package dev.ttsapi.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.support.IntegrationTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job deep in a long queue gets its real place, not a capped "at least": 20,000 jobs wait in the
 * normal stream (far more than the 1,000 entries the place once read), a few in high and low, and
 * the place of jobs near the end stays exact while a worker takes jobs, finishes them out of order
 * and retries one to the end of the stream. A status poll, which asks for the place before it knows
 * the job's priority, gets the same numbers.
 */
class DeepQueuePlaceTest extends IntegrationTest {

  private static final int BACKLOG = 20_000;
  private static final int OTHER_USERS = 2_500; // 8 jobs each: the per-user cap, none held

  private final UUID me = UUID.randomUUID();
  private final List<Job> normal = new ArrayList<>();
  private final List<Job> high = new ArrayList<>();
  private final List<Job> low = new ArrayList<>();

  @BeforeEach
  void aDeepBacklog() {
    worker().stop();
    List<UUID> others = new ArrayList<>();
    for (int i = 0; i < OTHER_USERS; i++) {
      others.add(UUID.randomUUID());
    }
    for (int i = 0; i < BACKLOG; i++) {
      boolean mine = i == 100 || i == 10_000 || i == BACKLOG - 1;
      normal.add(job(Priority.NORMAL, mine ? me : others.get(i % OTHER_USERS)));
    }
    for (int i = 0; i < 3; i++) {
      high.add(job(Priority.HIGH, UUID.randomUUID()));
    }
    for (int i = 0; i < 2; i++) {
      low.add(job(Priority.LOW, UUID.randomUUID()));
    }
    List<Job> all = new ArrayList<>(normal);
    all.addAll(high);
    all.addAll(low);
    assertThat(queue.admitAll(all)).as("nobody is over the cap").containsOnly(Admission.QUEUED);
  }

  /**
   * Twenty thousand made-up jobs must not outlive the test: the next test of this context flushes
   * them, but a test that shares these stores without this base class (ApiFuzzTest) met a full
   * queue and answered 503.
   */
  @AfterEach
  void noBacklogLeftBehind() {
    redis.sync().flushdb();
    queue.ensureGroups();
    worker().start();
  }

  @Test
  void a_job_held_behind_three_thousand_of_its_users_own_has_its_exact_place() {
    UUID busy = UUID.randomUUID();
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < 8 + 3_000; i++) {
      jobs.add(job(Priority.NORMAL, busy));
    }
    List<Admission> admitted = queue.admitAll(jobs);
    assertThat(admitted.stream().filter(a -> a == Admission.HELD)).hasSize(3_000);

    assertThat(place(jobs.getLast()))
        .as("the whole stream waits before it, and the user's 8 in it and 2,999 held")
        .isEqualTo(new QueuePlace(true, BACKLOG + 8, 8 + 2_999, high.size(), false));
    assertThat(place(jobs.get(8)))
        .as("the first held job")
        .isEqualTo(new QueuePlace(true, BACKLOG + 8, 8, high.size(), false));
  }

  @Test
  void the_place_of_a_job_behind_twenty_thousand_others_is_exact() {
    Job last = normal.getLast();
    assertThat(place(last)).isEqualTo(new QueuePlace(false, BACKLOG - 1, 2, high.size(), false));
    assertThat(place(normal.get(10_000)))
        .isEqualTo(new QueuePlace(false, 10_000, 1, high.size(), false));
    assertThat(place(normal.getFirst())).isEqualTo(new QueuePlace(false, 0, 0, high.size(), false));
    assertThat(place(low.getLast()))
        .as("every high and normal job is taken first")
        .isEqualTo(new QueuePlace(false, 1, 0, high.size() + BACKLOG, false));

    // a worker takes 503 jobs (high first), finishes some out of order and retries one
    Set<UUID> taken = new HashSet<>();
    List<Delivery> deliveries = new ArrayList<>();
    try (QueueReader reader = queue.reader("deep-place-test")) {
      for (int i = 0; i < 503; i++) {
        Delivery d = reader.next(java.time.Duration.ofMillis(100)).orElseThrow();
        deliveries.add(d);
        taken.add(d.job().requestId());
      }
    }
    queue.finish(deliveries.get(200));
    queue.finish(deliveries.get(7));
    Delivery retried =
        deliveries.stream()
            .filter(d -> d.job().priority() == Priority.NORMAL)
            .findFirst()
            .orElseThrow();
    queue.retry(retried); // stays in `taken`: its place in admission order is gone

    long normalWaiting = normal.stream().filter(j -> !taken.contains(j.requestId())).count();
    long retriedUsersWaiting =
        normal.stream()
            .filter(j -> j.userId().equals(retried.job().userId()))
            .filter(j -> !taken.contains(j.requestId()))
            .count();
    long highWaiting = high.stream().filter(j -> !taken.contains(j.requestId())).count();
    assertThat(place(last))
        .isEqualTo(
            new QueuePlace(
                false, waitingBefore(last, taken) - 1, 2 - mineTaken(taken), highWaiting, false));
    assertThat(place(retried.job()))
        .as("a retry waits at the end of its stream")
        .isEqualTo(new QueuePlace(false, normalWaiting, retriedUsersWaiting, highWaiting, false));
    assertThat(place(normal.get(10)))
        .as("a job a worker has taken is about to start")
        .isEqualTo(new QueuePlace(false, 0, 0, highWaiting, false));
  }

  /**
   * The job's place, which is the same asked by its priority or by the priority the queue remembers
   * it by (as a status poll asks it, before it has read the job's status).
   */
  private QueuePlace place(Job job) {
    QueuePlace byPriority = queue.place(job);
    assertThat(queue.placeAsRemembered(job))
        .as("placed by the priority the queue remembers")
        .contains(new QueueInspector.Placed(job.priority(), byPriority));
    return byPriority;
  }

  /** Normal jobs still waiting up to and including {@code job} in admission order. */
  private long waitingBefore(Job job, Set<UUID> taken) {
    long n = 0;
    for (Job j : normal) {
      if (j == job) {
        return n + 1;
      }
      if (!taken.contains(j.requestId())) {
        n++;
      }
    }
    throw new IllegalArgumentException("not a normal job");
  }

  private int mineTaken(Set<UUID> taken) {
    int n = 0;
    for (Job j : normal.subList(0, BACKLOG - 1)) {
      if (j.userId().equals(me) && taken.contains(j.requestId())) {
        n++;
      }
    }
    return n;
  }

  private static Job job(Priority priority, UUID user) {
    return new Job(UUID.randomUUID(), Instant.now(), priority, user);
  }
}
