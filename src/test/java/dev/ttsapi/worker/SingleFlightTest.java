package dev.ttsapi.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.MarkerEngine;
import dev.ttsapi.support.Payloads;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Identical requests in flight at the same time cause one synthesis. */
class SingleFlightTest extends IntegrationTest {

  @Autowired MarkerEngine marker;

  @Test
  void identical_requests_queued_together_are_synthesized_once_and_both_complete() {
    TestUser alice = newUser("alice-sf", Caller.Role.USER);
    TestUser bob = newUser("bob-sf", Caller.Role.USER);
    String text = "Part 7 of the same news story.";
    worker().stop();
    String first = submit(alice, text);
    String second = submit(bob, text);
    int callsBefore = marker.calls();

    worker().start();
    awaitStatus(alice.key(), first, "completed");
    awaitStatus(bob.key(), second, "completed");

    assertThat(marker.calls() - callsBefore).as("one synthesis of the one chunk").isEqualTo(1);
    assertThat(api.get("/tts/audio/" + second, bob.key()).body())
        .isEqualTo(api.get("/tts/audio/" + first, alice.key()).body());
    List<Long> billed =
        jdbc.sql("SELECT coalesce(billable_characters, 0) FROM requests WHERE id IN (:a, :b)")
            .param("a", UUID.fromString(first))
            .param("b", UUID.fromString(second))
            .query(Long.class)
            .list();
    assertThat(billed)
        .as("only the synthesis that ran is billed")
        .containsExactlyInAnyOrder((long) text.length(), 0L);
  }

  private String submit(TestUser user, String text) {
    var response =
        api.post("/tts/request", user.key(), Payloads.submit(text, MarkerEngine.VOICE, "normal"));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("request_id").asString();
  }
}
