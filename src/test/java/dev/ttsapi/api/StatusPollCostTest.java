package dev.ttsapi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.stores.RedisEndpoint;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.RedisMonitor;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What one status poll sends Redis, seen on the wire (MONITOR): its place in the queue, asked
 * before its status is known, the status hash and the poll budget, sent together and waited for
 * once (one round trip), whatever the request's status; for a queued job one script call for its
 * place, not a command per page of the stream or held list, and none after the status is read.
 */
class StatusPollCostTest extends IntegrationTest {

  @Autowired private RedisEndpoint redisEndpoint;

  @Test
  void a_poll_is_its_place_its_hash_and_its_budget_in_one_round_trip() throws Exception {
    TestUser user = newUser("poll-cost-user", Caller.Role.USER);
    worker().stop(); // the requests stay queued
    RedisURI uri = RedisURI.create(redisEndpoint.url());
    try {
      // more than the per-user cap, so the first one waits in its stream and the last one is held
      // back outside the streams
      String inStream = null;
      String held = null;
      String cancelled = null;
      for (int i = 0; i < 10; i++) {
        held = submit(user, "Queued request number " + i + ".");
        if (i == 0) {
          inStream = held;
          cancelled = submit(user, "Cancelled before its poll.");
          assertThat(api.delete("/tts/request/" + cancelled, user.key()).status()).isEqualTo(200);
        }
      }

      for (String id : List.of(cancelled, inStream, held)) {
        List<String> poll = commandsOfOnePoll(uri, user, id);
        assertThat(poll.stream().map(RedisMonitor::command))
            .as("a poll: %s", poll)
            .containsExactly("EVALSHA", "HGETALL", "EVALSHA");
        // On one connection Redis runs commands in the order they were sent: the place script
        // goes out before the status hash is read, so nothing waits between them.
        assertThat(poll.getFirst()).as("the place, sent first").contains(":q:held-at:");
        assertThat(poll.get(1)).contains("tts_status:" + id);
        assertThat(poll.get(2)).contains("{rl:" + user.caller().userId() + "}:poll");
      }
    } finally {
      worker().start();
    }
  }

  private List<String> commandsOfOnePoll(RedisURI uri, TestUser user, String id) throws Exception {
    String userId = user.caller().userId().toString();
    try (RedisMonitor monitor = new RedisMonitor(uri)) {
      Response status = api.get("/tts/status/" + id, user.key());
      assertThat(status.status()).as(status.text()).isEqualTo(200);
      // the commands naming the request or the user's poll budget: the poll's own, not the node's
      // background work (the sweeper recounts the user's held jobs now and then)
      // (MONITOR shows them a little after they ran: wait for the budget, which every poll asks)
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  ofPoll(monitor, uri.getDatabase(), id, userId).stream()
                      .anyMatch(l -> l.contains("}:poll")));
      // and for the rest, until no more follow
      int[] seen = {-1};
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(3))
          .until(
              () -> {
                int now = ofPoll(monitor, uri.getDatabase(), id, userId).size();
                boolean same = now == seen[0];
                seen[0] = now;
                return same;
              });
      return ofPoll(monitor, uri.getDatabase(), id, userId);
    }
  }

  private static List<String> ofPoll(RedisMonitor monitor, int db, String id, String userId) {
    return monitor.fromClients(db).stream()
        .filter(l -> l.contains(id) || l.contains("{rl:" + userId + "}:poll"))
        .toList();
  }

  private String submit(TestUser user, String text) {
    Response r = api.post("/tts/request", user.key(), Payloads.submit(text, "wav"));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json().path("request_id").asString();
  }
}
