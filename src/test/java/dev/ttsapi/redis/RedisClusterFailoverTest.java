package dev.ttsapi.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.console.EventStreamClient;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.queue.QueuePartitions;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.MarkerEngine;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.RedisClusterServers;
import dev.ttsapi.support.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * A master of the Redis Cluster is killed (SIGKILL) while requests are being submitted and
 * synthesized; its replica takes over. Every request answered 200 still completes, exactly once:
 * checked in PostgreSQL, the truth (one "completed" event per request, usage charged once each).
 * The cluster is this test's own (ports 7111–7116), as it loses a node.
 */
@TestPropertySource(properties = {"tts.queue.partitions=3", "tts.test.redis-kind=failover-cluster"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RedisClusterFailoverTest extends IntegrationTest {

  private static final Logger log = LoggerFactory.getLogger(RedisClusterFailoverTest.class);
  private static final int FIRST_PORT = 7111;
  private static final int REQUESTS = 60;

  private static RedisClusterServers cluster;

  /** This class's context talks to its own Redis (read when the context starts, after this). */
  @BeforeAll
  static void useItsRedis() {
    System.setProperty(TestStores.REDIS_URL_PROPERTY, cluster().url());
  }

  @AfterAll
  static void leaveItsRedis() {
    System.clearProperty(TestStores.REDIS_URL_PROPERTY);
  }

  private static synchronized RedisClusterServers cluster() {
    if (cluster == null) {
      cluster = RedisClusterServers.start(FIRST_PORT, 3, 1);
      RedisClusterServers started = cluster;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close));
    }
    return cluster;
  }

  @Autowired private QueuePartitions partitions;

  @Test
  void a_master_killed_under_load_loses_no_job_and_runs_none_twice() throws Exception {
    assertThat(redis.cluster()).isTrue();
    // The master holding the first partition's streams (and every third user's jobs).
    int victim = cluster.masterOf(partitions.all().getFirst().stream(Priority.NORMAL));
    // Six users, two of whose rate-limit keys live on that master: their limits must fail open
    // (and be counted) while it is gone, whatever the other masters answer meanwhile.
    List<TestUser> users = new ArrayList<>();
    int onVictim = 0;
    for (int i = 0; users.size() < 6; i++) {
      TestUser user = newUser("failover-" + i, Caller.Role.USER);
      boolean limitsOnVictim =
          cluster.masterOf("{rl:" + user.caller().userId() + "}:submit") == victim;
      if (limitsOnVictim ? onVictim < 2 : users.size() - onVictim < 4) {
        users.add(user);
        onVictim += limitsOnVictim ? 1 : 0;
      }
    }
    // Opened before the kill: its subscription must outlive the master it may sit on.
    TestUser watcher = newUser("failover-watcher", Caller.Role.USER);
    EventStreamClient events = new EventStreamClient(api.base(), watcher.key());
    events.awaitReady();
    List<String> accepted = Collections.synchronizedList(new ArrayList<>());
    Map<Integer, Integer> answers = new ConcurrentHashMap<>();
    Thread submitter =
        Thread.ofVirtual()
            .start(
                () -> {
                  for (int i = 0; i < REQUESTS; i++) {
                    TestUser user = users.get(i % users.size());
                    Response r =
                        api.post(
                            "/tts/request",
                            user.key(),
                            Payloads.submit(
                                "Failover " + (i + 1) + ".", MarkerEngine.VOICE, "normal"));
                    answers.merge(r.status(), 1, Integer::sum);
                    if (r.status() == 200) {
                      accepted.add(r.json().path("request_id").asString());
                    }
                    try {
                      Thread.sleep(100);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= REQUESTS / 4);

    Instant killed = Instant.now();
    cluster.kill(victim);
    cluster.awaitFailover(victim, 3);
    Duration failover = Duration.between(killed, Instant.now());
    assertThat(cluster.masters()).doesNotContain(victim).hasSize(3);

    submitter.join(Duration.ofSeconds(120));
    assertThat(submitter.isAlive()).isFalse();
    assertThat(answers.keySet()).as("submits answered %s", answers).isSubsetOf(200, 503);
    List<UUID> ids = accepted.stream().map(UUID::fromString).toList();
    Awaitility.await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> count("status = 'completed'", ids) == ids.size());
    Duration recovered = Duration.between(killed, Instant.now());

    Response late =
        api.post(
            "/tts/request",
            watcher.key(),
            Payloads.submit("After 7 failovers.", MarkerEngine.VOICE, "normal"));
    String lateId = late.json().path("request_id").asString();
    List<UUID> all = new ArrayList<>(ids);
    all.add(UUID.fromString(lateId));
    try (events) {
      EventStreamClient.Event event;
      do {
        event = events.next(Duration.ofSeconds(60));
        assertThat(event).as("status events still arrive after the failover").isNotNull();
      } while (!(lateId.equals(event.json().path("request_id").asString())
          && "completed".equals(event.json().path("status").asString())));
    }

    long completedTwice =
        jdbc.sql(
                "SELECT count(*) FROM (SELECT request_id FROM logs WHERE event = 'completed'"
                    + " AND request_id = ANY(?) GROUP BY request_id HAVING count(*) > 1) t")
            .param(all.toArray(UUID[]::new))
            .query(Long.class)
            .single();
    assertThat(completedTwice).as("requests completed more than once").isZero();
    long charged =
        jdbc.sql("SELECT coalesce(sum(requests), 0) FROM usage_daily").query(Long.class).single();
    assertThat(charged).as("usage charged once per request").isEqualTo(all.size());
    // Submits while the master was gone passed their limits unchecked: counted, for the alert.
    assertThat(failedOpen()).as("calls let through while the master was gone").isPositive();
    log.info(
        "Failover: master {} killed; cluster healthy again after {} ms; all {} accepted requests"
            + " ({}) completed {} ms after the kill",
        victim,
        failover.toMillis(),
        ids.size(),
        answers,
        recovered.toMillis());
  }

  /** Calls let through unchecked since the start, summed over the limits. */
  private double failedOpen() {
    double sum = 0;
    for (String line : api.get("/metrics", null).text().split("\n")) {
      if (line.startsWith("tts_limits_failed_open_total{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private long count(String condition, List<UUID> ids) {
    return jdbc.sql("SELECT count(*) FROM requests WHERE " + condition + " AND id = ANY(?)")
        .param(ids.toArray(UUID[]::new))
        .query(Long.class)
        .single();
  }
}
