package dev.ttsapi.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.GateEngine;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.PostgresWire;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What a synthesized job costs PostgreSQL, from the driver's own log of what it sent: on its
 * worker's thread the start; the completion (written by the node's completion group writer, alone
 * here), whose one statement also saves the audio's timings (with the audio's index entry), so the
 * timings cost no round trip of their own. Fails if a statement comes back between the engine and
 * the completion.
 */
class JobRoundTripsTest extends IntegrationTest {

  @Test
  void a_synthesized_job_is_two_postgres_round_trips_its_timings_saved_by_the_completion() {
    TestUser user = newUser("job-round-trips-user", Caller.Role.USER);
    String id;
    List<PostgresWire.RoundTrip> job;
    List<PostgresWire.RoundTrip> completion;
    try (PostgresWire postgres = new PostgresWire()) {
      var response =
          api.post(
              "/tts/request",
              user.key(),
              Payloads.submit(
                  "Counted on the wire, once: " + UUID.randomUUID() + ".",
                  GateEngine.VOICE,
                  "normal"));
      assertThat(response.status()).as(response.text()).isEqualTo(200);
      id = response.json().path("request_id").asString();
      awaitStatus(user.key(), id, "completed");
      job = postgres.roundTrips("job-");
      completion = postgres.roundTrips("completion-group-commit");
    }

    String contentKey =
        jdbc.sql("SELECT content_key FROM requests WHERE id = :id")
            .param("id", UUID.fromString(id))
            .query(String.class)
            .single();
    // Threads serve other jobs too (a test's before this one): this request's own round trips,
    // by the values bound (its id, its content key; a statement the driver has prepared by then
    // travels as a Bind without its SQL).
    job = job.stream().filter(r -> mentions(r, id) || mentions(r, contentKey)).toList();
    assertThat(job)
        .as("PostgreSQL round trips of the job's thread (its start): %s", job)
        .hasSize(1);
    completion = completion.stream().filter(r -> mentions(r, id)).toList();
    assertThat(completion)
        .as("the completion (on its group writer's thread): %s", completion)
        .hasSize(1);
    assertThat(completion.getFirst().messages())
        .as("the completion carries the timings (the text's words are only in them)")
        .anyMatch(m -> m.contains(id) && m.contains("Counted"));
    assertThat(
            jdbc.sql("SELECT count(*) FROM audio_timings WHERE content_key = :key")
                .param("key", contentKey)
                .query(Long.class)
                .single())
        .isEqualTo(1);
    assertThat(api.get("/tts/timings/" + id, user.key()).status()).isEqualTo(200);
  }

  private static boolean mentions(PostgresWire.RoundTrip trip, String value) {
    return trip.messages().stream().anyMatch(m -> m.contains(value));
  }
}
