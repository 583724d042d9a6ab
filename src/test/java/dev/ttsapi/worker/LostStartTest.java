package dev.ttsapi.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.request.RequestRepository;
import dev.ttsapi.support.GateEngine;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * A job's start commits without waiting for the disk (RequestRepository.start): if PostgreSQL
 * crashes before the completion's synchronous commit, it comes back with the row queued at the
 * attempt before, as if the start had never happened. The worker, finding its attempt not current
 * at the completion, must put the entry back so the job runs again (and completes from the audio it
 * stored), not acknowledge it and leave a queued request with no entry until the next sweep (every
 * minute by default: the sweeper re-admits a queued row that holds a place and has no entry). The
 * sweeper is set far off here, so only the worker can bring the job back.
 */
@TestPropertySource(
    properties = {"tts.maintenance.sweep-interval=1h", "tts.maintenance.sweep-age=1h"})
class LostStartTest extends IntegrationTest {

  @Autowired GateEngine gate;
  @Autowired RequestRepository requests;

  @Test
  void job_whose_start_postgresql_lost_mid_synthesis_runs_again_and_completes_once() {
    TestUser user = newUser("lost-start-user", Caller.Role.USER);
    String text = "My start never reached the disk.";
    int gateCalls = gate.calls();
    gate.close();
    String id;
    try {
      id = submit(user, text);
      awaitStatus(user.key(), id, "processing");
      await().atMost(Duration.ofSeconds(10)).until(() -> gate.calls() == gateCalls + 1);
      // What PostgreSQL holds after a crash that lost the start's unflushed commit.
      UUID requestId = UUID.fromString(id);
      jdbc.sql(
              "UPDATE requests SET status = 'queued', attempt = attempt - 1, started_at = NULL"
                  + " WHERE id = :id")
          .param("id", requestId)
          .update();
      jdbc.sql("DELETE FROM logs WHERE request_id = :id AND event = 'started'")
          .param("id", requestId)
          .update();
    } finally {
      gate.open();
    }

    awaitStatus(user.key(), id, "completed");

    assertThat(requests.events(UUID.fromString(id)))
        .containsExactly("queued", "started", "completed");
    assertThat(requests.find(UUID.fromString(id)).orElseThrow().attempt()).isEqualTo(1);
    assertThat(gate.calls() - gateCalls).as("synthesized once").isEqualTo(1);
    assertThat(api.get("/tts/audio/" + id, user.key()).status()).isEqualTo(200);
    awaitDrained(Priority.NORMAL, Duration.ofSeconds(10));
  }

  private String submit(TestUser user, String text) {
    var response =
        api.post("/tts/request", user.key(), Payloads.submit(text, GateEngine.VOICE, "normal"));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("request_id").asString();
  }
}
