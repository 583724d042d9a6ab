package dev.ttsapi.observability;

import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.redis.Redis;
import dev.ttsapi.runtime.PeriodicTasks;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Pings PostgreSQL ({@code SELECT 1}), Redis ({@code PING} to every master of a Cluster) and the
 * audio store (a HeadBucket, or the audio directory) every {@code
 * tts.observability.store-check-interval}, off the request path, and keeps the last result and
 * round-trip time of each. Readiness reads it, so a node that loses PostgreSQL or the audio store
 * turns not-ready within one interval and ready again once the store answers, by itself; a lost
 * Redis only degrades it ({@link #canServe}).
 */
@Component
public class StoreProbe extends PeriodicTasks {

  private static final Logger log = LoggerFactory.getLogger(StoreProbe.class);

  /** One store's last check: reachable or not, how long the round trip took, what went wrong. */
  public record Check(boolean up, Duration roundTrip, String error) {
    static final Check UNKNOWN = new Check(false, null, "not checked yet");
  }

  private final JdbcClient jdbc;
  private final Redis redis;
  private final AudioStore audio;
  private final Duration interval;
  private volatile Check postgres = Check.UNKNOWN;
  private volatile Check redisCheck = Check.UNKNOWN;
  private volatile Check audioCheck = Check.UNKNOWN;

  StoreProbe(
      JdbcClient jdbc,
      Redis redis,
      AudioStore audio,
      ObservabilityProperties properties,
      TaskScheduler scheduler) {
    super(scheduler);
    this.jdbc = jdbc;
    this.redis = redis;
    this.audio = audio;
    this.interval = properties.storeCheckInterval();
  }

  @Override
  protected List<Task> tasks() {
    return List.of(new Task(this::checkNow, interval));
  }

  /** Checks every store now and keeps the results. */
  public void checkNow() {
    Check pg = time(() -> jdbc.sql("SELECT 1").query(Integer.class).single());
    Check rd =
        time(
            () -> {
              redis.pingEveryMaster();
              return null;
            });
    Check au =
        time(
            () -> {
              audio.checkReachable();
              return null;
            });
    report("PostgreSQL", postgres, pg, "this node is not ready");
    report("Redis", redisCheck, rd, "degraded: queues, limits and events wait for it");
    report("The audio store", audioCheck, au, "this node is not ready");
    postgres = pg;
    redisCheck = rd;
    audioCheck = au;
  }

  public Check postgres() {
    return postgres;
  }

  public Check redis() {
    return redisCheck;
  }

  public Check audio() {
    return audioCheck;
  }

  /** Whether every store answered its last check. */
  public boolean allUp() {
    return postgres.up() && redisCheck.up() && audioCheck.up();
  }

  /**
   * Whether this node can serve: PostgreSQL (the truth) and the audio store answered. Redis is left
   * out on purpose: it is shared by every node, so its outage would take the whole fleet out of
   * rotation at once, while each node still accepts, answers status and serves audio from
   * PostgreSQL and the store (queues, limits and events wait for Redis to return).
   */
  public boolean canServe() {
    return postgres.up() && audioCheck.up();
  }

  private static Check time(Supplier<?> call) {
    long start = System.nanoTime();
    try {
      call.get();
      return new Check(true, Duration.ofNanos(System.nanoTime() - start), null);
    } catch (RuntimeException e) {
      return new Check(false, Duration.ofNanos(System.nanoTime() - start), e.toString());
    }
  }

  private static void report(String store, Check before, Check now, String consequence) {
    if (before.up() && !now.up()) {
      log.warn("{} is unreachable: {} ({})", store, consequence, now.error());
    } else if (!before.up() && now.up() && before != Check.UNKNOWN) {
      log.info("{} answers again", store);
    }
  }
}
