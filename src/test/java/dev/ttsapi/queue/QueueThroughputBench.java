package dev.ttsapi.queue;

import dev.ttsapi.redis.Redis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Queue throughput on the service's own queue code (the admit script under the per-user cap, then
 * XREADGROUP and the finish script), with no HTTP, PostgreSQL or synthesis in the way: what Redis
 * and its client can carry. Run by bench/cluster-throughput.sh against one server, a 1-master
 * Cluster and a 3-master Cluster.
 *
 * <pre>
 *   QueueThroughputBench REDIS_URL PARTITIONS JOBS USERS READERS_PER_PARTITION IN_FLIGHT
 * </pre>
 *
 * Prints one line: {@code admit_per_s=… finish_per_s=… …}.
 */
public final class QueueThroughputBench {

  private QueueThroughputBench() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int partitionCount = Integer.parseInt(args[1]);
    int jobs = Integer.parseInt(args[2]);
    int userCount = Integer.parseInt(args[3]);
    int readersPerPartition = Integer.parseInt(args[4]);
    int inFlight = Integer.parseInt(args[5]);

    QueueProperties properties =
        new QueueProperties(
            Duration.ofMinutes(5),
            3,
            Duration.ofSeconds(30),
            Duration.ofMillis(200),
            10,
            1000,
            // a cap no user reaches: every job goes straight into its stream
            jobs,
            partitionCount);
    try (Redis redis = Redis.connect(url, Duration.ofSeconds(10))) {
      redis.sync().flushdb();
      QueuePartitions partitions = new QueuePartitions(partitionCount);
      PerUserCap cap = new PerUserCap(redis, partitions, properties.perUserMaxJobs());
      QueueGroups groups = new QueueGroups(redis, partitions);
      groups.ensure();
      QueueProducer producer = new QueueProducer(redis, partitions, cap);
      QueueConsumer consumer =
          new QueueConsumer(
              redis, partitions, cap, producer, groups, properties, Clock.systemUTC());
      List<UUID> users = new ArrayList<>();
      for (int i = 0; i < userCount; i++) {
        users.add(UUID.randomUUID());
      }
      // warm-up: scripts loaded, connections to every master open
      for (int i = 0; i < 200; i++) {
        producer.admit(
            new Job(UUID.randomUUID(), Instant.now(), Priority.NORMAL, users.get(i % userCount)));
      }
      drain(consumer, partitions, readersPerPartition, 200);

      Semaphore window = new Semaphore(inFlight);
      long start = System.nanoTime();
      List<CompletableFuture<Admission>> sent = new ArrayList<>(jobs);
      for (int i = 0; i < jobs; i++) {
        window.acquire();
        Job job =
            new Job(UUID.randomUUID(), Instant.now(), Priority.NORMAL, users.get(i % userCount));
        sent.add(producer.admitAsync(job).whenComplete((a, e) -> window.release()));
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
      double admitSeconds = (System.nanoTime() - start) / 1e9;

      start = System.nanoTime();
      drain(consumer, partitions, readersPerPartition, jobs);
      double finishSeconds = (System.nanoTime() - start) / 1e9;

      System.out.printf(
          "url=%s masters=%d partitions=%d jobs=%d users=%d readers=%d in_flight=%d"
              + " admit_per_s=%.0f finish_per_s=%.0f%n",
          url.replaceAll("://.*", "://…"),
          redis.masters().size(),
          partitionCount,
          jobs,
          userCount,
          readersPerPartition * partitionCount,
          inFlight,
          jobs / admitSeconds,
          jobs / finishSeconds);
    }
  }

  /** Readers on every partition take and finish jobs until {@code jobs} are finished. */
  private static void drain(
      QueueConsumer consumer, QueuePartitions partitions, int readersPerPartition, int jobs)
      throws InterruptedException {
    AtomicLong finished = new AtomicLong();
    List<Thread> readers = new ArrayList<>();
    for (QueuePartition partition : partitions.all()) {
      for (int r = 0; r < readersPerPartition; r++) {
        String name = "bench-" + partition.index() + "-" + r;
        readers.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      try (QueueReader reader = consumer.reader(partition, name)) {
                        while (finished.get() < jobs) {
                          Optional<Delivery> next = reader.next();
                          if (next.isPresent()) {
                            consumer.finish(next.get());
                            finished.incrementAndGet();
                          }
                        }
                      }
                    }));
      }
    }
    for (Thread reader : readers) {
      reader.join();
    }
  }
}
