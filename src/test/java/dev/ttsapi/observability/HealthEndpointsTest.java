package dev.ttsapi.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.IntegrationTest;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class HealthEndpointsTest extends IntegrationTest {

  @Test
  void the_cheap_health_check_stays_open_to_load_balancers() {
    var health = api.get("/health", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().path("status").asString()).isEqualTo("healthy");
    assertThat(api.get("/health/live", null).status()).isEqualTo(200);
  }

  @Test
  void the_node_is_ready_once_warmed_up_with_both_stores_reachable() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> api.get("/health/ready", null).status() == 200);
    JsonNode ready = api.get("/health/ready", null).json();
    assertThat(ready.path("checks").path("warm_up").asString()).isEqualTo("done");
    assertThat(ready.path("checks").path("postgresql").asString()).isEqualTo("up");
    assertThat(ready.path("checks").path("redis").asString()).isEqualTo("up");
  }

  @Test
  void the_detailed_report_needs_an_admin_key() {
    TestUser user = newUser("health-user", Caller.Role.USER);
    assertThat(api.get("/health/detailed", null).status()).isEqualTo(401);
    assertThat(api.get("/health/detailed", user.key()).status()).isEqualTo(403);
  }

  @Test
  void the_detailed_report_has_the_seeds_fields_and_more() {
    TestUser admin = newUser("health-admin", Caller.Role.ADMIN);
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> api.get("/health/ready", null).status() == 200);

    var response = api.get("/health/detailed", admin.key());

    assertThat(response.status()).isEqualTo(200);
    JsonNode body = response.json();
    JsonNode system = body.path("system");
    assertThat(system.has("cpu_percent")).isTrue();
    assertThat(system.path("memory_percent").asDouble()).isBetween(0.0, 100.0);
    assertThat(system.path("disk_percent").asDouble()).isBetween(0.0, 100.0);
    JsonNode app = body.path("application");
    assertThat(app.path("queue_length").asLong()).isGreaterThanOrEqualTo(0);
    assertThat(app.path("queue_length_by_priority").has("high")).isTrue();
    assertThat(app.path("queue_length_by_priority").has("normal")).isTrue();
    assertThat(app.path("queue_length_by_priority").has("low")).isTrue();
    assertThat(app.has("dead_letters")).isTrue();
    assertThat(app.path("active_db_connections").isNumber()).isTrue();
    assertThat(app.path("uptime").asDouble()).isPositive();
    assertThat(app.path("engines").path("mary").asString()).isEqualTo("ok");
    assertThat(app.path("engines_loaded").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(body.path("stores").path("postgresql").path("status").asString()).isEqualTo("up");
    assertThat(body.path("stores").path("redis").path("round_trip_ms").isNumber()).isTrue();
    assertThat(body.path("warnings").isArray()).isTrue();
  }

  @Test
  void a_redis_that_may_evict_or_lacks_aof_is_warned_about() {
    TestUser admin = newUser("health-admin2", Caller.Role.ADMIN);
    String policy = redis.sync().configGet("maxmemory-policy").get("maxmemory-policy");
    try {
      redis.sync().configSet("maxmemory-policy", "allkeys-lru");
      JsonNode warnings = api.get("/health/detailed", admin.key()).json().path("warnings");
      assertThat(warnings.toString()).contains("maxmemory-policy is allkeys-lru");
      if (!"yes".equals(redis.sync().configGet("appendonly").get("appendonly"))) {
        assertThat(warnings.toString()).contains("appendonly is off");
      }
    } finally {
      redis.sync().configSet("maxmemory-policy", policy);
    }
  }
}
