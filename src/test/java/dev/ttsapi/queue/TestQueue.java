package dev.ttsapi.queue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationContext;

/**
 * The queue's parts as tests use them, all on the first partition (tests run with one): reading as
 * a named consumer, putting a hand-made job into a stream, settling deliveries, and reading what
 * the queue holds.
 */
public final class TestQueue {

  private final QueueProducer producer;
  private final QueueConsumer consumer;
  private final QueueInspector inspector;
  private final QueueUpkeep upkeep;
  private final QueuePartition partition;

  public TestQueue(ApplicationContext context) {
    this.producer = context.getBean(QueueProducer.class);
    this.consumer = context.getBean(QueueConsumer.class);
    this.inspector = context.getBean(QueueInspector.class);
    this.upkeep = context.getBean(QueueUpkeep.class);
    this.partition = context.getBean(QueuePartitions.class).all().getFirst();
  }

  /** A consumer like the application's, but whose dead-letter stream is trimmed to {@code max}. */
  public static QueueConsumer withDeadLetterMaxLength(ApplicationContext context, long max) {
    QueueProperties p = context.getBean(QueueProperties.class);
    QueueProperties small =
        new QueueProperties(
            p.visibilityTimeout(),
            p.maxAttempts(),
            p.reclaimInterval(),
            p.blockTimeout(),
            p.fairnessInterval(),
            max,
            p.perUserMaxJobs(),
            p.partitions());
    return new QueueConsumer(
        context.getBean(dev.ttsapi.redis.Redis.class),
        context.getBean(QueuePartitions.class),
        context.getBean(PerUserCap.class),
        context.getBean(QueueProducer.class),
        context.getBean(QueueGroups.class),
        small,
        java.time.Clock.systemUTC());
  }

  /** The stream of a priority, on the only partition tests use. */
  public static String stream(Priority priority) {
    return "{tts}:q:" + priority.wireName();
  }

  public QueueReader reader(String consumerName) {
    return consumer.reader(partition, consumerName);
  }

  /** Puts a job into its stream as it is, outside the per-user cap (a job may have no user). */
  public String enqueue(Job job) {
    return producer.enqueue(partition, job);
  }

  public Admission admit(Job job) {
    return producer.admit(job);
  }

  /** Admits the jobs in order, pipelined: a deep backlog in a few round trips. */
  public List<Admission> admitAll(List<Job> jobs) {
    List<java.util.concurrent.CompletableFuture<Admission>> sent = new java.util.ArrayList<>();
    for (Job job : jobs) {
      sent.add(producer.admitAsync(job));
    }
    return sent.stream().map(dev.ttsapi.redis.Redis::await).toList();
  }

  public QueuePlace place(Job job) {
    return inspector.place(job.requestId(), job.userId(), job.priority());
  }

  /** The place as a status poll asks it, by the priority the queue remembers the job by. */
  public java.util.Optional<QueueInspector.Placed> placeAsRemembered(Job job) {
    return dev.ttsapi.redis.Redis.await(
        inspector.placeAsRememberedAsync(job.requestId(), job.userId()));
  }

  public void ensureGroups() {
    upkeep.ensureGroups();
  }

  public Map<Priority, Long> depths() {
    return inspector.depths();
  }

  public Map<Priority, Long> heldDepths() {
    return inspector.heldDepths();
  }

  public long deadLetterCount() {
    return inspector.deadLetterCount();
  }

  public Map<UUID, UUID> admittedJobs() {
    return inspector.admittedJobs();
  }

  public Set<UUID> usersWithHeldJobs() {
    return inspector.usersWithHeldJobs();
  }

  public Set<UUID> queuedRequestIds() {
    return inspector.queuedRequestIds();
  }

  public List<QueueInspector.GroupConsumer> consumers() {
    return inspector.consumers();
  }

  /** Announces {@code consumerName} alive for {@code ttl}, as a worker's heartbeat does. */
  public void heartbeat(String consumerName, Duration ttl) {
    consumer.heartbeat(consumerName, ttl);
  }

  public int forgetIdleConsumers(Duration idleFor) {
    return upkeep.forgetIdleConsumers(idleFor);
  }

  public long promoteHeld() {
    return upkeep.promoteHeld();
  }

  public void ack(Delivery delivery) {
    consumer.ack(delivery);
  }

  public void finish(Delivery delivery) {
    consumer.finish(delivery);
  }

  public void retry(Delivery delivery) {
    consumer.retry(delivery);
  }

  public void deadLetter(Delivery delivery, int attempts, String error) {
    consumer.deadLetter(delivery, attempts, error);
  }

  public List<Delivery> claimIdle(String consumerName, int max) {
    return consumer.claimIdle(consumerName, max);
  }
}
