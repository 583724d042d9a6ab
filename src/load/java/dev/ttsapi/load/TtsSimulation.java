package dev.ttsapi.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.Locale;

/**
 * The seed's Locust load test in Gatling: each virtual user, after a pause of 1 to 5 s, either
 * submits the seed's payload (weight 3) or polls the status of its last request (weight 1), with
 * Bearer auth, until the run ends. Three profiles as in the seed, each scalable:
 *
 * <pre>
 * ramp    100 users, started 10/s,  for 5 min   (locust -u 100 -r 10 --run-time 5m)
 * stress 1000 users, started 100/s, for 10 min  (locust -u 1000 -r 100 --run-time 10m)
 * spike   500 users, started 500/s, for 2 min   (locust -u 500 -r 500 --run-time 2m)
 * </pre>
 *
 * System properties: {@code load.profile} (ramp), {@code load.baseUrl} (http://127.0.0.1:8000),
 * {@code load.apiKey} (else env TTS_API_KEY), {@code load.users}, {@code load.rate} (users started
 * per second), {@code load.duration} (seconds, or 90s / 5m), {@code load.userId} (the payload's
 * user_id, load_test_user: the key must belong to that user, or be an admin's).
 */
public class TtsSimulation extends Simulation {

  /** A seed profile: how many users, started how fast, running how long. */
  record Profile(int users, double rate, Duration duration) {

    static Profile named(String name) {
      return switch (name.toLowerCase(Locale.ROOT)) {
        case "ramp" -> new Profile(100, 10, Duration.ofMinutes(5));
        case "stress" -> new Profile(1000, 100, Duration.ofMinutes(10));
        case "spike" -> new Profile(500, 500, Duration.ofMinutes(2));
        default ->
            throw new IllegalArgumentException(
                "load.profile must be ramp, stress or spike, not " + name);
      };
    }

    Profile scaled() {
      int u = Integer.getInteger("load.users", users);
      double r = Double.parseDouble(System.getProperty("load.rate", Double.toString(rate)));
      String d = System.getProperty("load.duration");
      return new Profile(u, r, d == null ? duration : parseDuration(d));
    }

    Duration rampTime() {
      return Duration.ofMillis(Math.max(1, (long) (users / rate * 1000)));
    }
  }

  private static final String PAYLOAD =
      """
      {
        "text": "This is a test text for load testing",
        "voice_settings": {
          "language": "en-US",
          "voice": "en-US-Wavenet-F",
          "speed": 1.0,
          "pitch": 0.0
        },
        "user_id": "%s"
      }
      """;

  private final String profileName = System.getProperty("load.profile", "ramp");
  private final Profile profile = Profile.named(profileName).scaled();
  private final String baseUrl = System.getProperty("load.baseUrl", "http://127.0.0.1:8000");
  private final String apiKey =
      System.getProperty("load.apiKey", System.getenv().getOrDefault("TTS_API_KEY", ""));
  private final String userId = System.getProperty("load.userId", "load_test_user");

  private final HttpProtocolBuilder protocol =
      http.baseUrl(baseUrl)
          .acceptHeader("application/json")
          .contentTypeHeader("application/json")
          .authorizationHeader("Bearer " + apiKey)
          .userAgentHeader("tts-api-gatling");

  private final ChainBuilder submit =
      http("POST /tts/request")
          .post("/tts/request")
          .body(StringBody(PAYLOAD.formatted(userId)))
          .check(status().is(200), jsonPath("$.request_id").saveAs("requestId"))
          .toChainBuilder();

  private final ChainBuilder poll =
      io.gatling.javaapi.core.CoreDsl.doIf(session -> session.contains("requestId"))
          .then(
              http("GET /tts/status/{id}")
                  .get("/tts/status/#{requestId}")
                  .check(status().is(200)));

  private final ScenarioBuilder users =
      scenario("seed mix: 3 submit : 1 status")
          .forever()
          .on(
              io.gatling.javaapi.core.CoreDsl.pause(Duration.ofSeconds(1), Duration.ofSeconds(5))
                  .randomSwitch()
                  .on(percent(75.0).then(submit), percent(25.0).then(poll)));

  {
    System.out.printf(
        "Load profile %s: %d users at %.1f/s for %s against %s%n",
        profileName, profile.users(), profile.rate(), profile.duration(), baseUrl);
    setUp(users.injectOpen(rampUsers(profile.users()).during(profile.rampTime())))
        .protocols(protocol)
        .maxDuration(profile.duration());
  }

  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    if (t.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    if (t.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    if (t.endsWith("h")) {
      return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    return Duration.ofSeconds(Long.parseLong(t));
  }
}
