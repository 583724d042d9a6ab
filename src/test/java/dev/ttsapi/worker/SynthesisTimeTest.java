package dev.ttsapi.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.MarkerEngine;
import dev.ttsapi.support.Payloads;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The completed event says how long making the audio took, so the time a request spent elsewhere
 * (queue, state changes) can be read from PostgreSQL ({@code bench/run.sh} does).
 */
class SynthesisTimeTest extends IntegrationTest {

  private static final Pattern SYNTHESIS_MS = Pattern.compile("synthesis_ms=(\\d+\\.\\d)");

  @Test
  void completed_event_records_synthesis_time_within_the_attempt_and_none_for_stored_audio() {
    TestUser alice = newUser("alice-synthesis-time", Caller.Role.USER);
    TestUser bob = newUser("bob-synthesis-time", Caller.Role.USER);
    String text = "How long did this one take to speak?";
    worker().stop();
    String made = submit(alice, text);
    String reused = submit(bob, text);
    worker().start();
    awaitStatus(alice.key(), made, "completed");
    awaitStatus(bob.key(), reused, "completed");

    Map<String, Object> first = completed(made);
    Map<String, Object> second = completed(reused);
    // one of the two made the audio (single-flight), the other took it from the store
    Map<String, Object> synthesized = first.get("detail") != null ? first : second;
    Map<String, Object> fromStore = synthesized == first ? second : first;

    Matcher m = SYNTHESIS_MS.matcher((String) synthesized.get("detail"));
    assertThat(m.matches()).as("detail %s", synthesized.get("detail")).isTrue();
    double synthesisMs = Double.parseDouble(m.group(1));
    assertThat(synthesisMs)
        .isPositive()
        .isLessThanOrEqualTo((Double) synthesized.get("attempt_ms"));
    assertThat(fromStore.get("detail")).isNull();
  }

  private Map<String, Object> completed(String id) {
    return jdbc.sql(
            """
            SELECT l.detail,
                   extract(epoch FROM r.completed_at - r.started_at)::float8 * 1000 AS attempt_ms
            FROM requests r JOIN logs l ON l.request_id = r.id AND l.event = 'completed'
            WHERE r.id = :id
            """)
        .param("id", UUID.fromString(id))
        .query()
        .singleRow();
  }

  private String submit(TestUser user, String text) {
    var response =
        api.post("/tts/request", user.key(), Payloads.submit(text, MarkerEngine.VOICE, "normal"));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("request_id").asString();
  }
}
