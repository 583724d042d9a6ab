package dev.ttsapi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.stores.RedisEndpoint;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.PostgresWire;
import dev.ttsapi.support.RedisMonitor;
import dev.ttsapi.support.StatementCounting;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/**
 * What one cache-miss submit costs on the wire, seen from the servers' side of it: Redis's MONITOR
 * and the PostgreSQL driver's own log of the messages it sends. The request's per-minute budget and
 * its daily quota are one script call (one round trip, before anything is written); the group
 * writer's INSERT, with its lookup of stored audio folded in, is one PostgreSQL round trip (no
 * separate lookup, no BEGIN/COMMIT); the request's status hash and its admission to the queue
 * follow it, sent together. Fails if any of these goes back up.
 */
@Import(StatementCounting.class)
class SubmitRoundTripsTest extends IntegrationTest {

  @Autowired private RedisEndpoint redisEndpoint;

  @Test
  void a_submit_is_one_limits_script_one_postgres_round_trip_and_its_status_and_admission()
      throws Exception {
    TestUser user = newUser("submit-cost-user", Caller.Role.USER);
    worker().stop(); // the request stays queued: a worker's commands would name it too
    String userId = user.caller().userId().toString();
    RedisURI uri = RedisURI.create(redisEndpoint.url());
    try {
      // the key, the user's limits, the voices and the driver's type lookups are known after one
      submit(user, "The first submit warms what a submit reads once.");

      String id;
      List<String> commands;
      List<PostgresWire.RoundTrip> writer;
      try (RedisMonitor monitor = new RedisMonitor(uri);
          PostgresWire postgres = new PostgresWire()) {
        id = submit(user, "The second submit is the one counted.");
        // the commands naming the user: its limits, its status hash and its queue entry
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> ofUser(monitor, uri.getDatabase(), userId).size() >= 3);
        Thread.sleep(300); // and no more follow
        commands = ofUser(monitor, uri.getDatabase(), userId);
        writer = postgres.roundTrips("submit-group-commit");
      }

      assertThat(commands.stream().map(RedisMonitor::command))
          .as("Redis commands of one submit: %s", commands)
          .containsExactly("EVALSHA", "EVALSHA", "EVALSHA");
      assertThat(commands.stream().filter(c -> c.contains("{rl:" + userId + "}")))
          .as("the budget and the quota: one script call, before the row is written")
          .hasSize(1)
          .allMatch(c -> c.contains(":submit") && c.contains(":chars:"));
      assertThat(commands.stream().filter(c -> c.contains(id)))
          .as("the status hash and the admission, after the row is written")
          .hasSize(2);

      assertThat(writer).as("PostgreSQL round trips of the group writer: %s", writer).hasSize(1);
      assertThat(writer.getFirst().messages())
          .as("one statement, no transaction around it")
          .noneMatch(m -> m.contains("BEGIN") || m.contains("COMMIT"));
      assertThat(StatementCounting.lastCount("/tts/request"))
          .as("statements of the request's own thread (its key, limits and voices are cached)")
          .isZero();
      assertThat(
              jdbc.sql("SELECT status FROM requests WHERE id = CAST(:id AS uuid)")
                  .param("id", id)
                  .query(String.class)
                  .single())
          .isEqualTo("queued");
    } finally {
      worker().start();
    }
  }

  @Test
  void a_cache_hit_is_one_postgres_round_trip_that_inserts_it_answered() throws Exception {
    TestUser user = newUser("hit-cost-user", Caller.Role.USER);
    String text = "Said once, then answered from the stored audio.";
    awaitStatus(user.key(), submit(user, text), "completed");
    submit(user, "A miss first, so the driver's type lookups are done."); // queued or not

    Response hit;
    List<PostgresWire.RoundTrip> writer;
    try (PostgresWire postgres = new PostgresWire()) {
      hit = api.post("/tts/request", user.key(), Payloads.submit(text, "wav"));
      writer = postgres.roundTrips("submit-group-commit");
    }

    assertThat(hit.status()).as(hit.text()).isEqualTo(200);
    assertThat(hit.json().path("status").asString()).isEqualTo("completed");
    assertThat(hit.json().path("cache_hit").asBoolean()).isTrue();
    assertThat(writer).as("PostgreSQL round trips of the group writer: %s", writer).hasSize(1);
    assertThat(writer.getFirst().messages())
        .as("one statement, no transaction around it")
        .noneMatch(m -> m.contains("BEGIN") || m.contains("COMMIT"));
    String id = hit.json().path("request_id").asString();
    assertThat(
            jdbc.sql(
                    """
                    SELECT r.status || ' ' || r.cache_hit || ' ' || (r.audio_bytes > 0) || ' '
                           || l.event || ' ' || l.detail
                      FROM requests r JOIN logs l ON l.request_id = r.id
                     WHERE r.id = CAST(:id AS uuid)
                    """)
                .param("id", id)
                .query(String.class)
                .list())
        .as("the row and its one event, as inserted")
        .containsExactly("completed true true completed audio already stored");
    assertThat(api.get("/tts/audio/" + id, user.key()).status()).isEqualTo(200);
  }

  private static List<String> ofUser(RedisMonitor monitor, int db, String userId) {
    return monitor.fromClients(db).stream().filter(l -> l.contains(userId)).toList();
  }

  private String submit(TestUser user, String text) {
    Response r = api.post("/tts/request", user.key(), Payloads.submit(text, "wav"));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json().path("request_id").asString();
  }
}
