package dev.ttsapi.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.stores.RedisEndpoint;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.RedisMonitor;
import io.lettuce.core.RedisURI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Script text never travels with a request: every script is loaded once and then called by its SHA,
 * so a submit costs Redis a few bytes of command, not kilobytes of Lua to parse. What is checked is
 * what Redis received (MONITOR), across the whole life of a request and of a cache hit.
 */
class ScriptsTravelByShaTest extends IntegrationTest {

  private static final String TEXT = "Only the script's hash goes over the wire.";

  @Autowired private RedisEndpoint redisEndpoint;

  @Test
  void a_request_from_submit_to_download_and_a_cache_hit_send_no_script_text() throws Exception {
    TestUser user = newUser("sha-only", Caller.Role.USER);
    // One request first: whatever a node does once (loading scripts, publishing voices) is done.
    String warmUp = submit(user, "Scripts are loaded before the count starts.");
    awaitStatus(user.key(), warmUp, "completed");

    RedisURI uri = RedisURI.create(redisEndpoint.url());
    List<String> commands;
    try (RedisMonitor monitor = new RedisMonitor(uri)) {
      String id = submit(user, TEXT);
      awaitStatus(user.key(), id, "completed");
      assertThat(api.get("/tts/audio/" + id, user.key()).status()).isEqualTo(200);
      var again = api.post("/tts/request", user.key(), Payloads.submit(TEXT, "wav")).json();
      assertThat(again.path("cache_hit").asBoolean()).as("the repeat is a cache hit").isTrue();
      commands = monitor.fromClients(uri.getDatabase());
    }

    assertThat(commands)
        .as("the rate limit, the quota, the status writes and the queue ran scripts")
        .anySatisfy(line -> assertThat(RedisMonitor.command(line)).isEqualTo("EVALSHA"));
    assertThat(commands)
        .as("no script sent in full, none loaded again")
        .noneSatisfy(line -> assertThat(RedisMonitor.command(line)).isIn("EVAL", "SCRIPT"));
  }

  private String submit(TestUser user, String text) {
    var answer = api.post("/tts/request", user.key(), Payloads.submit(text, "wav"));
    assertThat(answer.status()).isEqualTo(200);
    return answer.json().path("request_id").asString();
  }
}
