package dev.ttsapi.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.stores.RedisEndpoint;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.RedisMonitor;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A status change reaches Redis as one command: the hash, its expiry and the event for the user's
 * live page travel together, so what a poll and the event stream show agree.
 */
class StatusWriteTest extends IntegrationTest {

  @Autowired private RedisEndpoint redisEndpoint;

  @Test
  void each_status_change_is_one_redis_command_and_the_user_sees_it_in_both_places()
      throws Exception {
    worker().stop(); // the request stays queued until it is cancelled
    TestUser user = newUser("status-writer", Caller.Role.USER);
    List<String> events = new CopyOnWriteArrayList<>();
    RedisURI redisUri = RedisURI.create(redisEndpoint.url());
    try (StatefulRedisPubSubConnection<String, String> sub = redis.pubSub();
        RedisMonitor monitor = new RedisMonitor(redisUri)) {
      sub.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
              events.add(message);
            }
          });
      sub.sync().subscribe(StatusStore.EVENTS_CHANNEL_PREFIX + user.caller().userId());

      String id =
          api.post("/tts/request", user.key(), Payloads.submit("Cancelled soon.", "wav"))
              .json()
              .path("request_id")
              .asString();
      assertThat(api.delete("/tts/request/" + id, user.key()).status()).isEqualTo(200);

      var status = api.get("/tts/status/" + id, user.key()).json();
      assertThat(status.path("status").asString()).isEqualTo("cancelled");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> events.size() == 2 && events.get(1).contains("\"cancelled\""));
      assertThat(events.get(0)).contains("\"queued\"");

      // Commands a client sent that write the hash (not reads by the polls above, nor the commands
      // a script ran inside Redis).
      String hash = StatusStore.key(java.util.UUID.fromString(id));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> writesOf(monitor, redisUri.getDatabase(), hash).size() >= 2);
      // by the script's SHA: the script's text never travels with a submit or a cancel
      assertThat(writesOf(monitor, redisUri.getDatabase(), hash))
          .as("submit and cancel: one command each")
          .hasSize(2)
          .allSatisfy(line -> assertThat(line).containsIgnoringCase("\"evalsha\""));
    }
  }

  /** Commands naming {@code key}, reads left out. */
  private static List<String> writesOf(RedisMonitor monitor, int db, String key) {
    return monitor.fromClients(db).stream()
        .filter(l -> l.contains(key) && !l.contains("\"HGETALL\""))
        .toList();
  }
}
