package dev.ttsapi.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.request.RequestRepository;
import dev.ttsapi.support.GateEngine;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.PostgresWire;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Jobs that finish together on one worker node commit their completions together: one transaction,
 * so one COMMIT (one WAL flush) for the group, seen on the wire in the driver's own log; before,
 * each job's completion was a statement of its own on the job's thread, each with its flush. The
 * group is held open here until its second completion joins (a wait no deployment would set), so
 * the test does not depend on two jobs finishing within the same commit by chance.
 */
@TestPropertySource(
    properties = {
      "tts.worker.slots=2",
      "tts.request.completion-group-wait=30s",
      "tts.request.completion-group-rows=2"
    })
class CompletionGroupCommitTest extends IntegrationTest {

  @Autowired RequestRepository requests;

  @Test
  void completions_of_two_jobs_finishing_together_share_one_commit() {
    TestUser user = newUser("completion-group-user", Caller.Role.USER);
    String first;
    String second;
    List<PostgresWire.RoundTrip> writer;
    List<PostgresWire.RoundTrip> jobs;
    try (PostgresWire postgres = new PostgresWire()) {
      first = submit(user, "The first of two jobs that finish together.");
      second = submit(user, "The second of two jobs that finish together.");
      awaitStatus(user.key(), first, "completed");
      awaitStatus(user.key(), second, "completed");
      writer = postgres.roundTrips("completion-group-commit");
      jobs = postgres.roundTrips("job-");
    }

    // the driver's COMMIT is a statement it prepared once and binds by name: the round trip
    // after the group's statements, carrying none of its own
    assertThat(writer)
        .as("the completions' writer: BEGIN with the first, the second, COMMIT: %s", writer)
        .hasSize(3);
    assertThat(writer.stream().flatMap(r -> r.messages().stream()))
        .as("one transaction")
        .filteredOn(m -> m.contains("query=\"BEGIN\""))
        .hasSize(1);
    assertThat(writer.getFirst().messages().getFirst()).contains("BEGIN");
    assertThat(writer.getLast().messages()).noneMatch(m -> m.startsWith("Parse"));
    // by the values bound (a statement the driver has prepared travels as a Bind without its SQL)
    for (String id : List.of(first, second)) {
      assertThat(writer).as("%s completed in the group", id).anyMatch(r -> mentions(r, id));
      assertThat(jobs.stream().filter(r -> mentions(r, id)))
          .as("on the job's own thread only its start")
          .hasSize(1);
    }
    for (String id : List.of(first, second)) {
      assertThat(requests.events(UUID.fromString(id)))
          .containsExactly("queued", "started", "completed");
      assertThat(api.get("/tts/audio/" + id, user.key()).status()).isEqualTo(200);
    }
    awaitDrained(Priority.NORMAL, Duration.ofSeconds(10));
  }

  private String submit(TestUser user, String text) {
    var response =
        api.post("/tts/request", user.key(), Payloads.submit(text, GateEngine.VOICE, "normal"));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("request_id").asString();
  }

  private static boolean mentions(PostgresWire.RoundTrip trip, String value) {
    return trip.messages().stream().anyMatch(m -> m.contains(value));
  }
}
