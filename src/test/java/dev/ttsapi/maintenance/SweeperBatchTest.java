package dev.ttsapi.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.queue.QueueKeys;
import dev.ttsapi.support.LowLimitsIntegrationTest;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.StatementCounting;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The sweeper hands back requests Redis lost in batches: the failed attempts of a whole batch, and
 * their events, cost the same statements as one.
 */
// LowLimitsIntegrationTest for its StatementCounting; its limits play no part here.
class SweeperBatchTest extends LowLimitsIntegrationTest {

  @Autowired private MaintenanceTasks maintenance;

  @AfterEach
  void restartMaintenance() {
    maintenance.start();
  }

  @Test
  void a_batch_of_lost_requests_costs_as_many_statements_as_one() {
    maintenance.stop(); // this test sweeps by itself
    worker().stop();
    TestUser user = newUser("swept-user", Caller.Role.USER);

    List<String> first = lostWhileProcessing(user, 1, 1);
    int forOne = StatementCounting.count(() -> assertThat(maintenance.sweep()).isEqualTo(1));

    List<String> retried = lostWhileProcessing(user, 8, 1);
    List<String> lastAttempt = lostWhileProcessing(user, 4, 3); // max-attempts is 3 in tests
    int forTwelve = StatementCounting.count(() -> assertThat(maintenance.sweep()).isEqualTo(8));

    assertThat(forTwelve).isEqualTo(forOne);
    for (String id : concat(first, retried)) {
      var status = api.get("/tts/status/" + id, user.key()).json();
      assertThat(status.path("status").asString()).isEqualTo("queued");
      assertThat(status.path("error").asString()).isEqualTo("lost from the queue during attempt 1");
      assertThat(events(id)).endsWith("retried");
    }
    assertThat(queue.queuedRequestIds())
        .as("queued again (the first one's entry went when the test emptied Redis again)")
        .containsAll(retried.stream().map(UUID::fromString).toList());
    for (String id : lastAttempt) {
      var status = api.get("/tts/status/" + id, user.key()).json();
      assertThat(status.path("status").asString()).isEqualTo("failed");
      assertThat(events(id)).endsWith("failed");
    }
    assertThat(redis.sync().xlen(QueueKeys.DEAD_LETTERS)).isEqualTo(4);
  }

  /** Requests a worker started (at {@code attempt}) before it and Redis lost them, long ago. */
  private List<String> lostWhileProcessing(TestUser user, int count, int attempt) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(
          api.post(
                  "/tts/request",
                  user.key(),
                  Payloads.submit("Lost " + UUID.randomUUID() + ".", "wav"))
              .json()
              .path("request_id")
              .asString());
    }
    jdbc.sql(
            "UPDATE requests SET status = 'processing', attempt = :attempt, started_at = now(),"
                + " updated_at = now() - interval '1 hour' WHERE id = ANY(CAST(:ids AS uuid[]))")
        .param("attempt", attempt)
        .param("ids", ids.toArray(String[]::new))
        .update();
    redis.sync().flushdb();
    queue.ensureGroups();
    return ids;
  }

  private List<String> events(String id) {
    return jdbc.sql("SELECT event FROM logs WHERE request_id = ? ORDER BY id")
        .param(UUID.fromString(id))
        .query(String.class)
        .list();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
