package dev.ttsapi.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.GateEngine;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.OtherNode;
import dev.ttsapi.support.Payloads;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code GET /tts/status/{id}} with {@code Prefer: wait=N}: answered when the status changes (on
 * whichever node it changed) or after N seconds, counted once against the poll budget.
 */
class LongPollTest extends IntegrationTest {

  @Autowired private GateEngine gate;
  @Autowired private StatusWaits waits;

  private TestUser user;

  @BeforeEach
  void user() {
    user = newUser("long-poller", Caller.Role.USER);
  }

  @AfterEach
  void openGate() {
    gate.open();
  }

  @Test
  void a_waiting_poll_answers_as_soon_as_the_job_starts() {
    worker().stop();
    String id = submitHeld();
    CompletableFuture<Response> poll = waitingPoll(api, id, 60);
    awaitWaiting(waits, 1);

    worker().start();
    Response answer = poll.orTimeout(30, TimeUnit.SECONDS).join();

    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    assertThat(answer.json().path("status").asString())
        .as("answered on the change, while the job is held in the engine")
        .isEqualTo("processing");
    assertThat(answer.header("Preference-Applied")).isEqualTo("wait=60");
    assertThat(answer.header("Vary")).contains("Prefer");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> waits.waitingPolls() == 0);
  }

  @Test
  void with_no_change_it_answers_after_the_wait_with_the_same_status() {
    worker().stop();
    String id = submitHeld();

    Response answer = api.get("/tts/status/" + id, user.key(), "Prefer", "wait=1");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().path("status").asString()).isEqualTo("queued");
    assertThat(answer.header("Preference-Applied")).isEqualTo("wait=1");
  }

  @Test
  void an_ended_request_is_answered_at_once_and_a_longer_wait_is_cut_to_sixty_seconds() {
    worker().stop();
    String id = submitHeld();
    api.delete("/tts/request/" + id, user.key());

    Response answer = api.get("/tts/status/" + id, user.key(), "Prefer", "wait=600");

    assertThat(answer.json().path("status").asString()).isEqualTo("cancelled");
    assertThat(answer.header("Preference-Applied")).isEqualTo("wait=60");
    Response unreadable = api.get("/tts/status/" + id, user.key(), "Prefer", "wait=soon");
    assertThat(unreadable.status()).as("an unreadable preference is ignored").isEqualTo(200);
    assertThat(unreadable.header("Preference-Applied")).isNull();
  }

  @Test
  void a_waiting_poll_counts_once_against_the_poll_budget() {
    worker().stop();
    TestUser admin = newUser("long-poll-admin", Caller.Role.ADMIN);
    api.put(
        "/admin/users/" + user.caller().userId() + "/limits",
        admin.key(),
        "{\"poll_requests_per_minute\":2}");
    String id = submitHeld();

    Response waited = api.get("/tts/status/" + id, user.key(), "Prefer", "wait=1");
    Response second = api.get("/tts/status/" + id, user.key());
    Response third = api.get("/tts/status/" + id, user.key());

    assertThat(waited.status()).isEqualTo(200);
    assertThat(waited.header("RateLimit-Remaining")).isEqualTo("1");
    assertThat(second.status()).as("the waiting poll took one of two").isEqualTo(200);
    assertThat(third.status()).isEqualTo(429);
  }

  @Test
  void a_poll_waiting_on_another_node_hears_the_change_made_here() {
    worker().stop();
    String id = submitHeld();
    try (ConfigurableApplicationContext apiNode = OtherNode.startApiNode()) {
      CompletableFuture<Response> poll = waitingPoll(OtherNode.client(apiNode), id, 60);
      awaitWaiting(apiNode.getBean(StatusWaits.class), 1);

      worker().start();
      Response answer = poll.orTimeout(30, TimeUnit.SECONDS).join();

      assertThat(answer.status()).as(answer.text()).isEqualTo(200);
      assertThat(answer.json().path("status").asString()).isEqualTo("processing");
      assertThat(answer.header("Preference-Applied")).isEqualTo("wait=60");
    }
  }

  /** Submits a request the gate engine holds in "processing" once a worker takes it. */
  private String submitHeld() {
    gate.close();
    Response submitted =
        api.post(
            "/tts/request",
            user.key(),
            Payloads.submit("Wait for me " + System.nanoTime(), GateEngine.VOICE, "normal"));
    assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);
    return submitted.json().path("request_id").asString();
  }

  private CompletableFuture<Response> waitingPoll(ApiClient client, String id, int seconds) {
    return CompletableFuture.supplyAsync(
        () -> client.get("/tts/status/" + id, user.key(), "Prefer", "wait=" + seconds));
  }

  private static void awaitWaiting(StatusWaits waits, int polls) {
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> waits.waitingPolls() == polls);
  }
}
