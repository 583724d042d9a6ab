package dev.ttsapi.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.audio.Loudness;
import dev.ttsapi.audio.Pcm;
import dev.ttsapi.audio.WavDecoder;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.engine.espeak.EspeakEngine;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.Documents;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.timings.LongDocumentTimingsTest;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Long text through the HTTP API with the shipped limits: a 100,000-character document is spoken
 * whole (its audio twice as long as its first half's, speech to the very end), one character more
 * is a 400 that says the limit, and the streaming endpoints keep their own, shorter limits. The
 * daily quota is the shipped default: a whole document fits after another request.
 */
@TestPropertySource(properties = "tts.request.max-text-length=100000")
class LongTextTest extends IntegrationTest {

  private static final String ESPEAK = "espeak:en-us";
  private static final String MARY = "mary:cmu-slt-hsmm";

  private TestUser user;

  @BeforeEach
  void user() {
    user = newUser("long-text", Caller.Role.USER);
  }

  @Test
  void a_100000_character_document_is_spoken_whole_by_espeak() throws Exception {
    Assumptions.assumeTrue(EspeakEngine.findOnPath().isPresent(), "espeak-ng is not installed");
    String document = Documents.english(100_000, 7);
    String half = Documents.english(50_000, 7);
    assertThat(document).hasSizeGreaterThan(99_900).startsWith(half);
    assertThat(ApiClient.json(Map.of("text", document)).length())
        .as("past the usual 64 KB body limit")
        .isGreaterThan(64 * 1024);

    Response estimate = api.post("/tts/estimate", user.key(), body(document, ESPEAK));
    assertThat(estimate.status()).as(estimate.text()).isEqualTo(200);
    assertThat(estimate.json().path("quota").path("fits").asBoolean()).isTrue();
    assertThat(estimate.json().path("billable_characters").asLong()).isGreaterThan(99_000);

    Spoken whole = speak(document, ESPEAK, Duration.ofMinutes(5));
    Spoken first = speak(half, ESPEAK, Duration.ofMinutes(3));

    // About 1.7 hours of speech; the first half is half of it: nothing was cut.
    assertThat(whole.seconds()).isGreaterThan(3_000);
    double estimated = estimate.json().path("estimated_audio_seconds").asDouble();
    assertThat(estimated / whole.seconds()).as("estimate %s s", estimated).isBetween(0.5, 2.0);
    assertThat(whole.seconds() / first.seconds()).isBetween(1.9, 2.1);
    assertThat(whole.status().path("audio").path("duration_seconds").asDouble())
        .isCloseTo(whole.seconds(), org.assertj.core.api.Assertions.within(0.01));
    // the last sentence is heard: speech in the file's last two seconds
    assertThat(whole.lastSpeechSeconds()).isGreaterThan(whole.seconds() - 2.0);
    // one loudness from the first minute to the last, across its 25 chunks
    double[] levels = whole.minuteLevels();
    assertThat(
            Arrays.stream(levels).max().orElseThrow() - Arrays.stream(levels).min().orElseThrow())
        .as("level of each minute, dBFS: %s", Arrays.toString(levels))
        .isLessThan(2.0);
  }

  /**
   * Also {@link LongDocumentTimingsTest}'s MaryTTS case: its document's timings are checked on this
   * run of it. MaryTTS speaks about 20 characters a second on a shared core: 3,000 characters (8
   * chunks) keep its run short, and still join several chunks of measured words.
   */
  @Test
  void a_document_of_marytts_is_spoken_whole_with_its_timings_in_order() throws Exception {
    String document = LongDocumentTimingsTest.document(3_000);
    String half = LongDocumentTimingsTest.document(1_500);
    assertThat(document).startsWith(half);

    Spoken whole = speak(document, MARY, Duration.ofMinutes(5));
    Spoken first = speak(half, MARY, Duration.ofMinutes(2));

    assertThat(whole.seconds() / first.seconds()).isBetween(1.85, 2.15);
    assertThat(whole.lastSpeechSeconds()).isGreaterThan(whole.seconds() - 2.0);
    LongDocumentTimingsTest.assertTimingsInOrderAndEndingWithTheAudio(
        document,
        3_000,
        api.get("/tts/timings/" + whole.id(), user.key()).json(),
        WavDecoder.decode(api.get("/tts/audio/" + whole.id(), user.key()).body()));
  }

  @Test
  void one_character_over_the_limit_is_a_400_that_says_the_limit_and_stores_nothing() {
    String over = "Speak this sentence. ".repeat(4_762).substring(0, 100_001);
    assertThat(over).endsWith("sentence.");

    Response response = api.post("/tts/request", user.key(), body(over, ESPEAK));

    assertThat(response.status()).as(response.text()).isEqualTo(400);
    assertThat(response.json().path("max_characters").asInt()).isEqualTo(100_000);
    assertThat(response.json().path("detail").asString()).contains("100001").contains("100000");
    assertThat(jdbc.sql("SELECT count(*) FROM requests").query(Long.class).single()).isZero();
  }

  @Test
  void openai_speech_keeps_openais_4096_characters() {
    Response over =
        api.post(
            "/v1/audio/speech",
            user.key(),
            ApiClient.json(
                Map.of("model", "tts-1", "voice", "alloy", "input", "a ".repeat(2048) + "b")));

    assertThat(over.status()).as(over.text()).isEqualTo(400);
    assertThat(over.json().path("max_characters").asInt()).isEqualTo(4096);
    assertThat(over.json().path("error").path("param").asString()).isEqualTo("input");
    assertThat(over.json().path("error").path("message").asString()).contains("4096");
  }

  @Test
  void marytts_process_keeps_its_5000_characters() {
    String form =
        "INPUT_TYPE=TEXT&OUTPUT_TYPE=AUDIO&AUDIO=WAVE_FILE&LOCALE=en_US&INPUT_TEXT="
            + URLEncoder.encode("a ".repeat(2500) + "b", StandardCharsets.UTF_8);

    Response over = api.post("/process", user.key(), form, "application/x-www-form-urlencoded");

    assertThat(over.status()).as(over.text()).isEqualTo(400);
    assertThat(over.json().path("max_characters").asInt()).isEqualTo(5000);
    assertThat(over.json().path("detail").asString()).contains("5000");
  }

  private record Spoken(String id, JsonNode status, short[] samples, int rate) {
    double seconds() {
      return (double) samples.length / rate;
    }

    /** The speech level ({@link Loudness#levelDbfs}) of each whole minute. */
    double[] minuteLevels() {
      int minute = rate * 60;
      double[] levels = new double[samples.length / minute];
      for (int m = 0; m < levels.length; m++) {
        ByteBuffer b = ByteBuffer.allocate(minute * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(samples, m * minute, minute);
        levels[m] = Loudness.levelDbfs(new Pcm(b.array(), rate));
      }
      return levels;
    }

    /** Where the last 10 ms frame louder than -44 dBFS ends. */
    double lastSpeechSeconds() {
      int frame = rate / 100;
      for (int end = samples.length; end - frame >= 0; end -= frame) {
        double energy = 0;
        for (int i = end - frame; i < end; i++) {
          energy += (double) samples[i] * samples[i];
        }
        if (Math.sqrt(energy / frame) > 200) {
          return (double) end / rate;
        }
      }
      return 0;
    }
  }

  private Spoken speak(String text, String voice, Duration within) throws Exception {
    Response submitted = api.post("/tts/request", user.key(), body(text, voice));
    assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);
    String id = submitted.json().path("request_id").asString();
    JsonNode[] status = new JsonNode[1];
    Awaitility.await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              status[0] = api.get("/tts/status/" + id, user.key()).json();
              String now = status[0].path("status").asString();
              assertThat(now).as(status[0].toString()).isNotEqualTo("failed");
              return "completed".equals(now);
            });
    byte[] wav = api.get("/tts/audio/" + id, user.key()).body();
    try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
      byte[] b = in.readAllBytes();
      short[] s = new short[b.length / 2];
      for (int i = 0; i < s.length; i++) {
        s[i] = (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8));
      }
      return new Spoken(id, status[0], s, (int) in.getFormat().getSampleRate());
    }
  }

  private static String body(String text, String voice) {
    return ApiClient.json(
        Map.of("text", text, "format", "wav", "voice_settings", Map.of("voice", voice)));
  }
}
