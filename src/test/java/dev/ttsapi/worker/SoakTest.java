package dev.ttsapi.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.queue.Delivery;
import dev.ttsapi.queue.Job;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.queue.QueueProperties;
import dev.ttsapi.queue.QueueReader;
import dev.ttsapi.queue.TestQueue;
import dev.ttsapi.request.JobLifecycle;
import dev.ttsapi.request.RequestIds;
import dev.ttsapi.support.FaultEngine;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.PoisonEngine;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The faults of this package mixed at random for a while: jobs of several users, duplicates, poison
 * jobs, cancels, queue entries deleted behind the workers' backs, workers that take a job and die
 * (reclaimed after the 3 s visibility timeout), and the worker stopped and started. Then one SQL
 * check of every accepted request: terminal, audio if completed, attempts within the maximum,
 * completed at most once.
 *
 * <p>{@code -Dtts.test.soak-seconds} sets the length (short by default, for CI); the seed is
 * logged, and {@code -Dtts.test.soak-seed} replays the same sequence of faults (their timing
 * against the workers differs from run to run).
 */
class SoakTest extends IntegrationTest {

  private static final Logger log = LoggerFactory.getLogger(SoakTest.class);
  private static final Duration LENGTH =
      Duration.ofSeconds(Long.getLong("tts.test.soak-seconds", 25));

  @Autowired JobLifecycle lifecycle;
  @Autowired QueueProperties queueProperties;
  @Autowired AudioStore audioStore;

  private enum Fault {
    SUBMIT(50),
    SUBMIT_MARY(2),
    POISON(3),
    ENGINE_FAULT(2),
    DUPLICATE(8),
    CANCEL(6),
    DELETE_ENTRY(6),
    DEAD_WORKER(5),
    RESTART_WORKER(1);

    final int weight;

    Fault(int weight) {
      this.weight = weight;
    }
  }

  private record Accepted(String id, TestUser user) {}

  private final List<Accepted> accepted = new ArrayList<>();
  private final Map<Fault, Integer> counts = new TreeMap<>();
  private Random random;

  @Test
  void every_accepted_request_ends_once_with_its_audio_whatever_faults_were_mixed_in() {
    long seed = Long.getLong("tts.test.soak-seed", System.nanoTime());
    log.info(
        "Soak seed {} (replay with -Dtts.test.soak-seed={}), {} s", seed, seed, LENGTH.toSeconds());
    random = new Random(seed);
    List<TestUser> users = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      users.add(newUser("soak-" + i + "-" + UUID.randomUUID(), Caller.Role.USER));
    }

    Instant end = Instant.now().plus(LENGTH);
    while (Instant.now().isBefore(end)) {
      Fault fault = pick();
      counts.merge(fault, 1, Integer::sum);
      act(fault, users.get(random.nextInt(users.size())));
      sleep(Duration.ofMillis(random.nextInt(20)));
    }
    if (!worker().isRunning()) {
      worker().start();
    }
    log.info("Soak faults: {}; {} requests accepted", counts, accepted.size());

    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> unfinished() == 0);

    List<String> violations =
        jdbc.sql(
                """
                WITH accepted AS (
                  SELECT unnest(CAST(string_to_array(:ids, ',') AS uuid[])) AS id),
                completions AS (
                  SELECT request_id, count(*) AS n FROM logs WHERE event = 'completed'
                  GROUP BY request_id)
                SELECT CAST(a.id AS text) || ' status=' || coalesce(r.status, 'MISSING')
                  || ' attempt=' || coalesce(r.attempt, -1)
                  || ' completions=' || coalesce(c.n, 0)
                  || ' audio=' || (ac.content_key IS NOT NULL)
                FROM accepted a
                LEFT JOIN requests r ON r.id = a.id
                LEFT JOIN completions c ON c.request_id = a.id
                LEFT JOIN audio_cache ac ON ac.content_key = r.content_key
                WHERE r.id IS NULL
                   OR r.status NOT IN ('completed', 'failed', 'cancelled')
                   OR r.attempt > :maxAttempts
                   OR coalesce(c.n, 0) > 1
                   OR (r.status = 'completed'
                       AND (r.audio_bytes IS NULL OR ac.content_key IS NULL))
                   OR (r.status <> 'completed' AND coalesce(c.n, 0) > 0)
                """)
            .param("ids", String.join(",", accepted.stream().map(Accepted::id).toList()))
            .param("maxAttempts", queueProperties.maxAttempts())
            .query(String.class)
            .list();
    log.info("Soak outcome: {}", outcomes());
    assertThat(violations).as("seed %d", seed).isEmpty();
    // The index says the audio exists; so must the store.
    List<String> completedKeys =
        jdbc.sql("SELECT DISTINCT content_key FROM requests WHERE status = 'completed'")
            .query(String.class)
            .list();
    assertThat(completedKeys).as("seed %d", seed).allMatch(key -> audioStore.find(key).isPresent());
  }

  private void act(Fault fault, TestUser user) {
    switch (fault) {
      case SUBMIT ->
          submit(user, "Soak job " + UUID.randomUUID() + ".", FaultEngine.VOICE, priority());
      case SUBMIT_MARY ->
          submit(
              user,
              "A real voice, " + random.nextInt(1_000_000) + ".",
              "mary:cmu-slt-hsmm",
              priority());
      case POISON -> submit(user, "Poison " + UUID.randomUUID(), PoisonEngine.VOICE, priority());
      case ENGINE_FAULT ->
          submit(
              user,
              "Fault "
                  + UUID.randomUUID()
                  + " "
                  + (random.nextBoolean() ? FaultEngine.THROW : FaultEngine.STACK_OVERFLOW),
              FaultEngine.VOICE,
              priority());
      case DUPLICATE ->
          someAccepted()
              .ifPresent(
                  a -> {
                    UUID id = UUID.fromString(a.id());
                    queue.enqueue(
                        new Job(
                            id,
                            RequestIds.createdAt(id),
                            Priority.values()[random.nextInt(3)],
                            null));
                  });
      case CANCEL ->
          someAccepted().ifPresent(a -> api.delete("/tts/request/" + a.id(), a.user().key()));
      case DELETE_ENTRY -> {
        String stream = TestQueue.stream(Priority.values()[random.nextInt(3)]);
        List<StreamMessage<String, String>> entries =
            redis.sync().xrange(stream, Range.create("-", "+"), Limit.from(20));
        if (!entries.isEmpty()) {
          redis.sync().xdel(stream, entries.get(random.nextInt(entries.size())).getId());
        }
      }
      case DEAD_WORKER -> {
        boolean starts = random.nextBoolean();
        try (QueueReader dead = queue.reader("dead-" + UUID.randomUUID())) {
          Optional<Delivery> taken = dead.next();
          if (starts) {
            taken.ifPresent(d -> lifecycle.start(d.job().requestId()));
          }
        }
      }
      case RESTART_WORKER -> {
        worker().stop();
        sleep(Duration.ofMillis(random.nextInt(1000)));
        worker().start();
      }
    }
  }

  private Fault pick() {
    int total = 0;
    for (Fault f : Fault.values()) {
      total += f.weight;
    }
    int n = random.nextInt(total);
    for (Fault f : Fault.values()) {
      n -= f.weight;
      if (n < 0) {
        return f;
      }
    }
    throw new IllegalStateException();
  }

  private String priority() {
    return Priority.values()[random.nextInt(3)].wireName();
  }

  private void submit(TestUser user, String text, String voice, String priority) {
    var response = api.post("/tts/request", user.key(), Payloads.submit(text, voice, priority));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    accepted.add(new Accepted(response.json().path("request_id").asString(), user));
  }

  private Optional<Accepted> someAccepted() {
    return accepted.isEmpty()
        ? Optional.empty()
        : Optional.of(accepted.get(random.nextInt(accepted.size())));
  }

  private long unfinished() {
    return jdbc.sql(
            "SELECT count(*) FROM requests WHERE status NOT IN ('completed', 'failed', 'cancelled')")
        .query(Long.class)
        .single();
  }

  private Map<String, Long> outcomes() {
    Map<String, Long> outcomes = new TreeMap<>();
    jdbc.sql("SELECT status, count(*) FROM requests GROUP BY status")
        .query((rs, row) -> outcomes.put(rs.getString(1), rs.getLong(2)))
        .list();
    return outcomes;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
