package dev.ttsapi.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.audio.FileSystemAudioStore;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.queue.Job;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.queue.QueueConsumer;
import dev.ttsapi.queue.QueueKeys;
import dev.ttsapi.queue.QueueProperties;
import dev.ttsapi.queue.TestQueue;
import dev.ttsapi.request.RequestService;
import dev.ttsapi.request.Submission;
import dev.ttsapi.request.Utterances;
import dev.ttsapi.support.FaultEngine;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.PoisonEngine;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * The queue's Redis footprint stays bounded however many jobs pass through: after a run of jobs
 * (through the real service, queue and worker, with a fast test engine; one in a hundred a poison
 * job), every priority stream is empty again, takes no more memory than before, nothing is pending,
 * the pending list never held more than the jobs the workers were running, the dead-letter stream
 * holds the failures within its trim, and every other key this run wrote expires. {@code
 * -Dtts.test.bounded-jobs=100000} runs the full count (minutes).
 */
class BoundedStreamsTest extends IntegrationTest {

  private static final Logger log = LoggerFactory.getLogger(BoundedStreamsTest.class);
  private static final int JOBS = Integer.getInteger("tts.test.bounded-jobs", 3000);
  private static final int POISON_EVERY = 100;
  private static final int SUBMITTERS = 4;
  private static final String LIVE_STREAM = "{tts}:q:live";

  @Autowired RequestService service;
  @Autowired Utterances utterances;
  @Autowired WorkerProperties workerProperties;
  @Autowired QueueProperties queueProperties;
  @Autowired AudioStore audioStore;
  @Autowired ApplicationContext context;

  @Test
  void streams_hold_only_waiting_and_running_jobs_however_many_passed_through() throws Exception {
    TestUser user = newUser("bounded-" + UUID.randomUUID(), Caller.Role.USER);
    RedisClusterCommands<String, String> r = redis.sync();
    Map<String, Long> memoryBefore = streamMemory();
    long usedBefore = usedMemory();

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong mostPendingPerConsumer = new AtomicLong();
    Thread watcher =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (running.get()) {
                    mostPendingPerConsumer.accumulateAndGet(pendingPerConsumer(), Math::max);
                    sleep(Duration.ofMillis(100));
                  }
                });
    Instant start = Instant.now();
    submitAll(user);
    Duration submitted = Duration.between(start, Instant.now());
    await()
        .atMost(Duration.ofSeconds(120 + JOBS / 20))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> finished() == JOBS);
    Duration done = Duration.between(start, Instant.now());
    await().atMost(Duration.ofSeconds(10)).until(() -> totalLength() == 0 && totalPending() == 0);
    running.set(false);
    watcher.join();

    Map<String, Long> memoryAfter = streamMemory();
    long poisoned = (JOBS + POISON_EVERY - 1) / POISON_EVERY;
    long dead = r.xlen(QueueKeys.DEAD_LETTERS);
    log.info(
        "Bounded run: {} jobs submitted in {} s, all finished after {} s; XLEN {} = 0, dead {};"
            + " XPENDING 0; most pending per consumer {}; MEMORY USAGE before {} after {};"
            + " used_memory {} -> {} bytes; keys {}",
        JOBS,
        submitted.toSeconds(),
        done.toSeconds(),
        List.of(Priority.values()),
        dead,
        mostPendingPerConsumer.get(),
        memoryBefore,
        memoryAfter,
        usedBefore,
        usedMemory(),
        r.dbsize());

    assertThat(completed()).isEqualTo(JOBS - poisoned);
    // A consumer reads one job per free slot; a blocking read may bring one from each stream.
    assertThat(mostPendingPerConsumer.get())
        .isLessThanOrEqualTo(workerProperties.effectiveSlots() + Priority.values().length);
    assertThat(dead).isEqualTo(poisoned).isLessThanOrEqualTo(queueProperties.deadLetterMaxLength());
    for (Priority priority : Priority.values()) {
      // Emptied streams give their memory back: no more than an empty stream with its group.
      assertThat(memoryAfter.get(TestQueue.stream(priority)))
          .as(TestQueue.stream(priority))
          .isLessThanOrEqualTo(memoryBefore.get(TestQueue.stream(priority)) + 1024);
    }
    // The only keys without an expiry are the streams (the live-speech one is trimmed by its
    // own MAXLEN); status hashes, leases and the rest expire.
    assertThat(keysWithoutExpiry())
        .as("keys this run wrote that would stay forever")
        .allMatch(key -> streamKeys().contains(key) || key.equals(LIVE_STREAM));
    removeAudio();
  }

  /** Past its length the dead-letter stream is trimmed (approximately: whole nodes at a time). */
  @Test
  void dead_letter_stream_is_trimmed_to_its_configured_length() {
    int maxLength = 100;
    QueueConsumer trimmed = TestQueue.withDeadLetterMaxLength(context, maxLength);
    for (int i = 0; i < 2_000; i++) {
      UUID id = UUID.randomUUID();
      trimmed.deadLetter(
          new Job(id, Instant.now(), Priority.NORMAL, UUID.randomUUID()), 3, "failure " + i);
    }

    // Approximate trimming drops whole stream nodes (stream-node-max-entries, 100 by default).
    assertThat(redis.sync().xlen(QueueKeys.DEAD_LETTERS)).isBetween(100L, 200L);
  }

  private void submitAll(TestUser user) throws Exception {
    try (ExecutorService submitters = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> all = new ArrayList<>();
      for (int s = 0; s < SUBMITTERS; s++) {
        int first = s;
        all.add(
            submitters.submit(
                () -> {
                  for (int i = first; i < JOBS; i += SUBMITTERS) {
                    service.submit(command(user, i));
                  }
                  return null;
                }));
      }
      for (Future<?> f : all) {
        f.get();
      }
    }
  }

  private Submission command(TestUser user, int i) {
    boolean poison = i % POISON_EVERY == 0;
    return new Submission(
        user.caller().userId(),
        Priority.values()[i % Priority.values().length],
        utterances.of(
            "Bounded job number " + i + ".",
            poison ? PoisonEngine.VOICE : FaultEngine.VOICE,
            null,
            SpeechSettings.NORMAL,
            AudioFormat.PCM,
            null));
  }

  private long finished() {
    return jdbc.sql("SELECT count(*) FROM requests WHERE status IN ('completed', 'failed')")
        .query(Long.class)
        .single();
  }

  private long completed() {
    return jdbc.sql("SELECT count(*) FROM requests WHERE status = 'completed'")
        .query(Long.class)
        .single();
  }

  private long totalLength() {
    return Stream.of(Priority.values())
        .mapToLong(p -> redis.sync().xlen(TestQueue.stream(p)))
        .sum();
  }

  private long totalPending() {
    return Stream.of(Priority.values())
        .mapToLong(p -> redis.sync().xpending(TestQueue.stream(p), QueueKeys.GROUP).getCount())
        .sum();
  }

  private long pendingPerConsumer() {
    Map<String, Long> perConsumer = new LinkedHashMap<>();
    for (Priority p : Priority.values()) {
      redis
          .sync()
          .xpending(TestQueue.stream(p), QueueKeys.GROUP)
          .getConsumerMessageCount()
          .forEach((consumer, count) -> perConsumer.merge(consumer, count, Long::sum));
    }
    return perConsumer.values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  private static List<String> streamKeys() {
    List<String> keys = new ArrayList<>();
    for (Priority p : Priority.values()) {
      keys.add(TestQueue.stream(p));
    }
    keys.add(QueueKeys.DEAD_LETTERS);
    return keys;
  }

  private Map<String, Long> streamMemory() {
    Map<String, Long> memory = new LinkedHashMap<>();
    for (String key : streamKeys()) {
      Long bytes = redis.sync().memoryUsage(key);
      memory.put(key, bytes == null ? 0 : bytes);
    }
    return memory;
  }

  private long usedMemory() {
    return redis
        .sync()
        .info("memory")
        .lines()
        .filter(line -> line.startsWith("used_memory:"))
        .mapToLong(line -> Long.parseLong(line.substring("used_memory:".length()).trim()))
        .findFirst()
        .orElse(-1);
  }

  private List<String> keysWithoutExpiry() {
    List<String> forever = new ArrayList<>();
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = redis.sync().scan(cursor, ScanArgs.Builder.limit(1000));
      for (String key : page.getKeys()) {
        if (redis.sync().ttl(key) == -1) {
          forever.add(key);
        }
      }
      cursor = page;
    } while (!cursor.isFinished());
    return forever;
  }

  private void removeAudio() throws IOException {
    Path root = ((FileSystemAudioStore) audioStore).root();
    if (!Files.isDirectory(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(root)) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
