package dev.ttsapi.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class UsageEndpointsTest extends IntegrationTest {

  @Test
  void a_user_sees_their_own_usage_and_an_admin_sees_everyones_for_a_day() {
    TestUser alice = newUser("usage-alice", Caller.Role.USER);
    TestUser bob = newUser("usage-bob", Caller.Role.USER);
    TestUser admin = newUser("usage-admin", Caller.Role.ADMIN);
    String text = "Usage is charged once.";
    String id =
        api.post("/tts/request", alice.key(), Payloads.submit(text, "wav"))
            .json()
            .path("request_id")
            .asString();
    awaitStatus(alice.key(), id, "completed");

    JsonNode mine = api.get("/tts/usage", alice.key()).json();
    assertThat(mine.path("total").path("requests").asInt()).isEqualTo(1);
    assertThat(mine.path("total").path("characters").asLong()).isEqualTo(text.length());
    assertThat(mine.path("total").path("audio_seconds").asDouble()).isPositive();
    assertThat(mine.path("days")).hasSize(1);
    assertThat(api.get("/tts/usage", bob.key()).json().path("total").path("requests").asInt())
        .isZero();

    String today = LocalDate.now(ZoneOffset.UTC).toString();
    JsonNode day = api.get("/admin/usage?day=" + today, admin.key()).json();
    assertThat(day.path("days")).hasSize(1);
    assertThat(day.path("days").get(0).path("user").asString()).isEqualTo("usage-alice");
    assertThat(day.path("days").get(0).path("user_id").asString())
        .isEqualTo(alice.caller().userId().toString());
  }

  @Test
  void usage_of_others_needs_an_admin_key_and_days_must_be_dates() {
    TestUser user = newUser("usage-user", Caller.Role.USER);
    TestUser admin = newUser("usage-admin2", Caller.Role.ADMIN);

    assertThat(api.get("/tts/usage", null).status()).isEqualTo(401);
    assertThat(api.get("/admin/usage", user.key()).status()).isEqualTo(403);
    var bad = api.get("/admin/usage?day=yesterday", admin.key());
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
    assertThat(api.get("/tts/usage?from=2026-02-01&to=2026-01-01", user.key()).status())
        .isEqualTo(400);
  }
}
