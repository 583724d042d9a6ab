package dev.ttsapi.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.request.RequestRepository;
import dev.ttsapi.support.GateEngine;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.MarkerEngine;
import dev.ttsapi.support.Payloads;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * A duplicate (a job whose audio another job is making) waits without its slot: the slot runs other
 * jobs meanwhile, and the duplicate completes from the original's audio, or makes the audio itself
 * when the original fails. Two slots: the original holds one at the gate, the duplicate takes the
 * other and must give it back for any third job to run.
 */
@TestPropertySource(properties = "tts.worker.slots=2")
class DuplicateWaitTest extends IntegrationTest {

  @Autowired GateEngine gate;
  @Autowired MeterRegistry meters;
  @Autowired RequestRepository requests;

  @Test
  void while_a_duplicate_waits_its_slot_runs_another_job() {
    TestUser alice = newUser("alice-dw", Caller.Role.USER);
    TestUser bob = newUser("bob-dw", Caller.Role.USER);
    String text = "Chapter one of the book everybody asks for.";
    int gateCalls = gate.calls();
    gate.close();
    String original;
    String duplicate;
    try {
      original = submit(alice, text, GateEngine.VOICE);
      awaitStatus(alice.key(), original, "processing");
      duplicate = submit(bob, text, GateEngine.VOICE);
      awaitWaitingDuplicates(1);

      // Both slots were taken by the two gate jobs: this one runs only in the slot given back.
      String other = submit(alice, "Something else entirely, spoken at once.", MarkerEngine.VOICE);
      await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(status(alice, other)));
      assertThat(status(alice, original)).isEqualTo("processing");
      assertThat(status(bob, duplicate)).isEqualTo("processing");
    } finally {
      gate.open();
    }
    awaitStatus(alice.key(), original, "completed");
    awaitStatus(bob.key(), duplicate, "completed");

    assertThat(gate.calls() - gateCalls).as("one synthesis for the two").isEqualTo(1);
    assertThat(api.get("/tts/audio/" + duplicate, bob.key()).body())
        .isEqualTo(api.get("/tts/audio/" + original, alice.key()).body());
    assertThat(billed(original)).isEqualTo(text.length());
    assertThat(billed(duplicate)).as("a repeat costs nothing").isZero();
    awaitWaitingDuplicates(0);
  }

  @Test
  void when_the_original_fails_its_retry_or_the_waiting_duplicate_makes_the_audio_once() {
    TestUser alice = newUser("alice-df", Caller.Role.USER);
    TestUser bob = newUser("bob-df", Caller.Role.USER);
    String text = "Chapter two, which the first engine will not finish.";
    int gateCalls = gate.calls();
    gate.close();
    String original;
    String duplicate;
    try {
      original = submit(alice, text, GateEngine.VOICE);
      awaitStatus(alice.key(), original, "processing");
      duplicate = submit(bob, text, GateEngine.VOICE);
      awaitWaitingDuplicates(1);
      gate.failWaiting();
    } finally {
      gate.open();
    }
    awaitStatus(bob.key(), duplicate, "completed");
    awaitStatus(alice.key(), original, "completed");

    assertThat(gate.calls() - gateCalls)
        .as("the original's failed synthesis, then the duplicate's own")
        .isEqualTo(2);
    assertThat(requests.events(UUID.fromString(original)))
        .as("the original failed once, then completed")
        .containsExactly("queued", "started", "retried", "started", "completed");
    // After the failure the waiting duplicate and the original's retry both go for the audio:
    // whichever takes it first synthesizes and is billed, the other completes from that audio for
    // nothing. Both orders are right (the duplicate won almost always, not always: a fast retry
    // can take it first); what must hold is one synthesis, billed once, and nobody left waiting.
    assertThat(List.of(billed(original), billed(duplicate)))
        .as("billed: the original, the duplicate")
        .containsExactlyInAnyOrder((long) text.length(), 0L);
  }

  private void awaitWaitingDuplicates(int count) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> meters.get("tts.worker.waiting.duplicates").gauge().value() == count);
  }

  private String submit(TestUser user, String text, String voice) {
    var response = api.post("/tts/request", user.key(), Payloads.submit(text, voice, "normal"));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("request_id").asString();
  }

  private String status(TestUser user, String id) {
    return api.get("/tts/status/" + id, user.key()).json().path("status").asString();
  }

  private long billed(String id) {
    return jdbc.sql("SELECT coalesce(billable_characters, 0) FROM requests WHERE id = :id")
        .param("id", UUID.fromString(id))
        .query(Long.class)
        .single();
  }
}
