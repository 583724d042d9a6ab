package dev.ttsapi.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Submit, follow and download, the way a client does, against the running service. */
class RequestLifecycleTest extends IntegrationTest {

  /** The seed's load-test payload, byte for byte. */
  static final String SEED_PAYLOAD =
      """
      {
          "text": "This is a test text for load testing",
          "voice_settings": {
              "language": "en-US",
              "voice": "en-US-Wavenet-F",
              "speed": 1.0,
              "pitch": 0.0
          },
          "user_id": "load_test_user"
      }
      """;

  @Test
  void seed_payload_is_accepted_resolved_to_an_installed_voice_and_spoken() throws Exception {
    TestUser user = newUser("load_test_user", Caller.Role.USER);

    Response submitted = api.post("/tts/request", user.key(), SEED_PAYLOAD);

    assertThat(submitted.status()).isEqualTo(200);
    JsonNode body = submitted.json();
    assertThat(body.path("status").asString()).isEqualTo("queued");
    assertThat(body.path("voice").asString()).isEqualTo("mary:cmu-slt-hsmm");
    assertThat(body.path("voice_requested").asString()).isEqualTo("en-US-Wavenet-F");
    String id = body.path("request_id").asString();
    assertThat(body.path("links").path("status").asString()).isEqualTo("/tts/status/" + id);
    assertThat(body.path("links").path("audio").asString()).isEqualTo("/tts/audio/" + id);

    JsonNode done = awaitStatus(user.key(), id, "completed");
    assertThat(done.path("progress").asDouble()).isEqualTo(1.0);
    assertThat(done.path("started_at").isMissingNode()).isFalse();
    assertThat(done.path("completed_at").isMissingNode()).isFalse();
    double seconds = done.path("audio").path("duration_seconds").asDouble();
    // Seven words spoken at a normal rate.
    assertThat(seconds).isBetween(1.0, 6.0);

    Response audio = api.get("/tts/audio/" + id, user.key());
    assertThat(audio.status()).isEqualTo(200);
    assertThat(audio.header("Content-Type")).isEqualTo("audio/wav");
    assertThat(audio.header("Content-Length")).isEqualTo(Integer.toString(audio.body().length));
    try (AudioInputStream decoded =
        AudioSystem.getAudioInputStream(new ByteArrayInputStream(audio.body()))) {
      double decodedSeconds = decoded.getFrameLength() / decoded.getFormat().getFrameRate();
      assertThat(decodedSeconds).isCloseTo(seconds, org.assertj.core.data.Offset.offset(0.05));
    }
    assertThat(
            jdbc.sql(
                    "SELECT engine || ' ' || billable_characters || ' ' || coalesce(model, '-')"
                        + " FROM requests WHERE id = :id")
                .param("id", java.util.UUID.fromString(id))
                .query(String.class)
                .single())
        .as("who served it and what it cost are recorded")
        .isEqualTo("mary 36 -");
    assertThat(soxDuration(audio.body(), ".wav"))
        .isCloseTo(seconds, org.assertj.core.data.Offset.offset(0.05));
  }

  @Test
  void mp3_is_encoded_and_sox_reads_a_duration_that_fits_the_text() throws Exception {
    TestUser user = newUser("mp3-user", Caller.Role.USER);
    String shortText = "Hello.";
    String longText =
        "The quick brown fox jumps over the lazy dog. It was a bright cold day in April, and the"
            + " clocks were striking thirteen.";

    String shortId = submit(user, shortText, "mp3");
    String longId = submit(user, longText, "mp3");
    awaitStatus(user.key(), shortId, "completed");
    awaitStatus(user.key(), longId, "completed");

    Response shortAudio = api.get("/tts/audio/" + shortId, user.key());
    Response longAudio = api.get("/tts/audio/" + longId, user.key());
    assertThat(shortAudio.header("Content-Type")).isEqualTo("audio/mpeg");
    double shortSeconds = soxDuration(shortAudio.body(), ".mp3");
    double longSeconds = soxDuration(longAudio.body(), ".mp3");
    assertThat(shortSeconds).isBetween(0.3, 3.0);
    assertThat(longSeconds).isBetween(4.0, 15.0);
  }

  @Test
  void ogg_opus_pcm_and_a_chosen_sample_rate_come_out_as_asked() throws Exception {
    TestUser user = newUser("formats-user", Caller.Role.USER);
    String text = "Formats for every player.";
    String ogg = submitAs(user, text, "ogg", null);
    String pcm = submitAs(user, text, "pcm", 16000);
    String wav = submitAs(user, text, "wav", 22050);
    double seconds =
        awaitStatus(user.key(), ogg, "completed").path("audio").path("duration_seconds").asDouble();
    awaitStatus(user.key(), pcm, "completed");
    awaitStatus(user.key(), wav, "completed");

    Response oggAudio = api.get("/tts/audio/" + ogg, user.key());
    assertThat(oggAudio.header("Content-Type")).isEqualTo("audio/ogg");
    var opus =
        new org.gagravarr.opus.OpusFile(
            new org.gagravarr.ogg.OggFile(new ByteArrayInputStream(oggAudio.body())));
    assertThat(opus.getInfo().getRate()).isEqualTo(48000);
    long lastGranule = 0;
    for (var packet = opus.getNextAudioPacket();
        packet != null;
        packet = opus.getNextAudioPacket()) {
      lastGranule = Math.max(lastGranule, packet.getGranulePosition());
    }
    assertThat(lastGranule / 48000.0).isCloseTo(seconds, org.assertj.core.data.Offset.offset(0.05));

    byte[] raw = api.get("/tts/audio/" + pcm, user.key()).body();
    assertThat(raw.length / 2 / 16000.0)
        .isCloseTo(seconds, org.assertj.core.data.Offset.offset(0.05));

    try (AudioInputStream decoded =
        AudioSystem.getAudioInputStream(
            new ByteArrayInputStream(api.get("/tts/audio/" + wav, user.key()).body()))) {
      assertThat(decoded.getFormat().getSampleRate()).isEqualTo(22050f);
      assertThat(decoded.getFrameLength() / 22050.0)
          .isCloseTo(seconds, org.assertj.core.data.Offset.offset(0.05));
    }
  }

  private String submitAs(TestUser user, String text, String format, Integer sampleRate) {
    Map<String, Object> body = new java.util.HashMap<>();
    body.put("text", text);
    body.put("voice_settings", Map.of("voice", "mary:cmu-slt-hsmm"));
    body.put("format", format);
    if (sampleRate != null) {
      body.put("sample_rate", sampleRate);
    }
    Response response =
        api.post("/tts/request", user.key(), dev.ttsapi.support.ApiClient.json(body));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("request_id").asString();
  }

  @Test
  void audio_supports_range_requests_and_etag_revalidation() {
    TestUser user = newUser("range-user", Caller.Role.USER);
    String id = submit(user, "Ranges let players seek.", "wav");
    awaitStatus(user.key(), id, "completed");
    Response whole = api.get("/tts/audio/" + id, user.key());

    Response part = api.get("/tts/audio/" + id, user.key(), "Range", "bytes=0-99");
    assertThat(part.status()).isEqualTo(206);
    assertThat(part.body()).hasSize(100).isEqualTo(java.util.Arrays.copyOf(whole.body(), 100));
    assertThat(part.header("Content-Range")).isEqualTo("bytes 0-99/" + whole.body().length);

    Response notModified =
        api.get("/tts/audio/" + id, user.key(), "If-None-Match", whole.header("ETag"));
    assertThat(notModified.status()).isEqualTo(304);
  }

  @Test
  void status_polls_revalidate_with_an_etag_and_see_every_change() {
    TestUser user = newUser("etag-user", Caller.Role.USER);
    worker().stop();
    String id;
    Response queued;
    try {
      id = submit(user, "Poll me politely.", "wav");
      queued = api.get("/tts/status/" + id, user.key());
      assertThat(queued.header("ETag")).isNotBlank();
      assertThat(queued.header("Cache-Control")).contains("no-cache");

      Response unchanged =
          api.get("/tts/status/" + id, user.key(), "If-None-Match", queued.header("ETag"));
      assertThat(unchanged.status()).isEqualTo(304);
      assertThat(unchanged.body()).isEmpty();
    } finally {
      worker().start();
    }
    awaitStatus(user.key(), id, "completed");

    Response changed =
        api.get("/tts/status/" + id, user.key(), "If-None-Match", queued.header("ETag"));
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.json().path("status").asString()).isEqualTo("completed");
  }

  @Test
  void audio_is_a_conflict_until_completed() {
    TestUser user = newUser("early-user", Caller.Role.USER);
    worker().stop();
    try {
      String id = submit(user, "Not yet.", "wav");
      Response early = api.get("/tts/audio/" + id, user.key());
      assertThat(early.status()).isEqualTo(409);
      assertThat(early.header("Content-Type")).startsWith("application/problem+json");
      assertThat(early.json().path("request_status").asString()).isEqualTo("queued");
    } finally {
      worker().start();
    }
  }

  @Test
  void identical_request_is_answered_from_stored_audio_without_queueing() {
    TestUser user = newUser("cache-user", Caller.Role.USER);
    String first = submit(user, "Say it once.", "wav");
    awaitStatus(user.key(), first, "completed");

    JsonNode second =
        api.post("/tts/request", user.key(), Payloads.submit("Say it once.", "wav")).json();

    assertThat(second.path("status").asString()).isEqualTo("completed");
    assertThat(second.path("cache_hit").asBoolean()).isTrue();
    assertThat(queue.depths().values()).allMatch(depth -> depth == 0);
    Response audio = api.get("/tts/audio/" + second.path("request_id").asString(), user.key());
    assertThat(audio.body()).isEqualTo(api.get("/tts/audio/" + first, user.key()).body());
  }

  @Test
  void vietnamese_text_keeps_its_diacritics_and_is_spoken_by_a_vietnamese_voice() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        dev.ttsapi.engine.espeak.EspeakEngine.findOnPath().isPresent(),
        "espeak-ng is not installed (.ci/run installs it)");
    TestUser user = newUser("vi-user", Caller.Role.USER);
    String text = "Xin chào, tôi là trợ lý ảo. Tiếng Việt có dấu.";
    Response submitted =
        api.post(
            "/tts/request",
            user.key(),
            dev.ttsapi.support.ApiClient.json(
                Map.of("text", text, "voice_settings", Map.of("language", "vi"))));

    assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);
    assertThat(submitted.json().path("voice").asString()).isEqualTo("espeak:vi");
    String id = submitted.json().path("request_id").asString();
    JsonNode done = awaitStatus(user.key(), id, "completed");
    double seconds = done.path("audio").path("duration_seconds").asDouble();
    assertThat(seconds).isBetween(1.5, 8.0);
    assertThat(soxDuration(api.get("/tts/audio/" + id, user.key()).body(), ".wav"))
        .isCloseTo(seconds, org.assertj.core.data.Offset.offset(0.05));
    assertThat(jdbc.sql("SELECT text FROM requests").query(String.class).single()).isEqualTo(text);
  }

  @Test
  void speed_two_gives_clearly_shorter_audio_than_speed_one() {
    TestUser user = newUser("speed-user", Caller.Role.USER);
    String text = "Speed changes how long this sentence takes to say.";
    String normal = submitWithSettings(user, text, 1.0, 0.0);
    String fast = submitWithSettings(user, text, 2.0, 0.0);
    String higher = submitWithSettings(user, text, 1.0, 6.0);

    double normalSeconds =
        awaitStatus(user.key(), normal, "completed")
            .path("audio")
            .path("duration_seconds")
            .asDouble();
    double fastSeconds =
        awaitStatus(user.key(), fast, "completed")
            .path("audio")
            .path("duration_seconds")
            .asDouble();
    awaitStatus(user.key(), higher, "completed");

    assertThat(fastSeconds).isLessThan(normalSeconds * 0.7);
    assertThat(api.get("/tts/audio/" + higher, user.key()).body())
        .as("a pitch shift is different audio")
        .isNotEqualTo(api.get("/tts/audio/" + normal, user.key()).body());
  }

  private String submitWithSettings(TestUser user, String text, double speed, double pitch) {
    Response response =
        api.post(
            "/tts/request",
            user.key(),
            dev.ttsapi.support.ApiClient.json(
                Map.of(
                    "text",
                    text,
                    "voice_settings",
                    Map.of("voice", "mary:cmu-slt-hsmm", "speed", speed, "pitch", pitch))));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("request_id").asString();
  }

  private String submit(TestUser user, String text, String format) {
    Response response = api.post("/tts/request", user.key(), Payloads.submit(text, format));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("request_id").asString();
  }

  /** What sox makes of the audio; needs sox (and libsox-fmt-mp3), which .ci/run installs. */
  static double soxDuration(byte[] audio, String suffix) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.Files.isExecutable(Path.of("/usr/bin/soxi")), "sox is not installed");
    Path file = Files.createTempFile("tts-test", suffix);
    try {
      Files.write(file, audio);
      Process sox =
          new ProcessBuilder("soxi", "-D", file.toString()).redirectErrorStream(true).start();
      String out = new String(sox.getInputStream().readAllBytes()).trim();
      assertThat(sox.waitFor()).as("soxi says: " + out).isZero();
      return Double.parseDouble(out);
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
