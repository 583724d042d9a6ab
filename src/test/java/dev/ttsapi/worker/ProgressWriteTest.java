package dev.ttsapi.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.request.RequestRepository;
import dev.ttsapi.stores.RedisEndpoint;
import dev.ttsapi.support.GateEngine;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * A job does not wait for Redis between its engine and its completion: its progress write (and the
 * status writes before it) are sent and answered whenever Redis answers, and the completion's
 * status write follows them. Redis's writes are paused (CLIENT PAUSE WRITE) while the job's engine
 * finishes: PostgreSQL must have the completion while Redis is still paused, and once Redis is back
 * the status says completed, not the progress that was answered late. Redis's command timeout is
 * set longer than the wait, so a worker that waited for the progress write could not get there by
 * timing out.
 */
@TestPropertySource(properties = "tts.stores.redis-command-timeout=60s")
class ProgressWriteTest extends IntegrationTest {

  @Autowired GateEngine gate;
  @Autowired RequestRepository requests;
  @Autowired RedisEndpoint redisEndpoint;

  @Test
  void job_completes_in_postgresql_while_redis_holds_its_progress_write() throws IOException {
    TestUser user = newUser("progress-write-user", Caller.Role.USER);
    int gateCalls = gate.calls();
    gate.close();
    String id;
    RedisURI uri = RedisURI.create(redisEndpoint.url());
    try (Socket redis = new Socket(uri.getHost(), uri.getPort())) {
      try {
        var response =
            api.post(
                "/tts/request",
                user.key(),
                Payloads.submit("Progress is not waited for.", GateEngine.VOICE, "normal"));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        id = response.json().path("request_id").asString();
        awaitStatus(user.key(), id, "processing");
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.calls() == gateCalls + 1);
        command(redis, "CLIENT", "PAUSE", "60000", "WRITE");
        gate.open();
        UUID requestId = UUID.fromString(id);
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> requests.find(requestId).orElseThrow().status().wireName(),
                "completed"::equals);
      } finally {
        gate.open();
        command(redis, "CLIENT", "UNPAUSE");
      }
    }

    awaitStatus(user.key(), id, "completed");
    assertThat(requests.events(UUID.fromString(id)))
        .containsExactly("queued", "started", "completed");
    assertThat(api.get("/tts/status/" + id, user.key()).json().path("progress").asDouble())
        .isEqualTo(1.0);
    awaitDrained(Priority.NORMAL, Duration.ofSeconds(10));
  }

  /** One command in RESP, on a connection of the test's own; its answer must be +OK. */
  private static void command(Socket socket, String... words) throws IOException {
    StringBuilder resp = new StringBuilder("*" + words.length + "\r\n");
    for (String word : words) {
      resp.append('$').append(word.length()).append("\r\n").append(word).append("\r\n");
    }
    OutputStream out = socket.getOutputStream();
    out.write(resp.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    InputStream in = socket.getInputStream();
    StringBuilder answer = new StringBuilder();
    for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
      answer.append((char) c);
    }
    assertThat(answer.toString().trim()).isEqualTo("+OK");
  }
}
