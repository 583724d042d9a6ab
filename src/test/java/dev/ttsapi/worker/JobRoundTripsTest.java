package dev.ttsapi.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.GateEngine;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.PostgresWire;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a synthesized job costs PostgreSQL on its worker's thread, from the driver's own log of what
 * it sent: the start, and the completion, whose one statement also saves the audio's timings (with
 * the audio's index entry), so the timings cost no round trip of their own. Fails if a statement
 * comes back between the engine and the completion.
 */
class JobRoundTripsTest extends IntegrationTest {

  /** Warm-up's trial synthesis runs on other threads, but its statements would be noise. */
  @BeforeEach
  void warmUpDone() {
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> api.get("/health/ready", null).status() == 200);
  }

  @Test
  void a_synthesized_job_is_two_postgres_round_trips_its_timings_saved_by_the_completion() {
    TestUser user = newUser("job-round-trips-user", Caller.Role.USER);
    String id;
    List<PostgresWire.RoundTrip> job;
    try (PostgresWire postgres = new PostgresWire()) {
      var response =
          api.post(
              "/tts/request",
              user.key(),
              Payloads.submit("Counted on the wire, once.", GateEngine.VOICE, "normal"));
      assertThat(response.status()).as(response.text()).isEqualTo(200);
      id = response.json().path("request_id").asString();
      awaitStatus(user.key(), id, "completed");
      job = postgres.roundTrips("job-");
    }

    assertThat(job).as("PostgreSQL round trips of the job's thread: %s", job).hasSize(2);
    assertThat(job.get(0).messages()).anyMatch(m -> m.contains("UPDATE requests"));
    assertThat(job.get(1).messages())
        .as("the completion, with the timings")
        .anyMatch(m -> m.contains("UPDATE requests") && m.contains("INSERT INTO audio_timings"));
    String contentKey =
        jdbc.sql("SELECT content_key FROM requests WHERE id = :id")
            .param("id", UUID.fromString(id))
            .query(String.class)
            .single();
    assertThat(
            jdbc.sql("SELECT count(*) FROM audio_timings WHERE content_key = :key")
                .param("key", contentKey)
                .query(Long.class)
                .single())
        .isEqualTo(1);
    assertThat(api.get("/tts/timings/" + id, user.key()).status()).isEqualTo(200);
  }
}
