package dev.ttsapi.timings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.audio.WavDecoder;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.MarkerEngine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET /tts/timings/{id}} for real jobs: MaryTTS's measured words, estimated ones, Polly. */
class TimingsApiTest extends IntegrationTest {

  static final String TEXT =
      "Hello, world. Timings are measured here,\nword by word; café au lait.";

  private TestUser user;

  @BeforeEach
  void user() {
    user = newUser("timings", Caller.Role.USER);
  }

  @Test
  void mary_words_are_measured_and_point_into_the_submitted_text() {
    String id = completed(TEXT, "mary:cmu-slt-hsmm", 1.0);

    JsonNode answer = api.get("/tts/timings/" + id, user.key()).json();

    List<JsonNode> words = units(answer, "word");
    assertThat(words)
        .extracting(w -> w.path("text").asString())
        .containsExactly(
            "Hello",
            "world",
            "Timings",
            "are",
            "measured",
            "here",
            "word",
            "by",
            "word",
            "café",
            "au",
            "lait");
    for (JsonNode w : words) {
      // MaryTTS's English voice does not give "café" back as the token it was written as: that
      // one word is estimated between its measured neighbours
      assertThat(w.path("source").asString())
          .as(w.path("text").asString())
          .isEqualTo(w.path("text").asString().equals("café") ? "estimated" : "engine");
      assertThat(TEXT.substring(w.path("char_start").asInt(), w.path("char_end").asInt()))
          .isEqualTo(w.path("text").asString());
    }
    List<JsonNode> sentences = units(answer, "sentence");
    assertThat(sentences).hasSize(2);
    assertThat(
            TEXT.substring(
                sentences.get(1).path("char_start").asInt(),
                sentences.get(1).path("char_end").asInt()))
        .isEqualTo("Timings are measured here,\nword by word; café au lait.");
    Pcm audio = WavDecoder.decode(api.get("/tts/audio/" + id, user.key()).body());
    long audioMs = audio.sampleCount() * 1000L / audio.sampleRate();
    assertThat(answer.path("duration_ms").asLong()).isEqualTo(audioMs);
    assertThat(sentences.getLast().path("end_ms").asLong()).isEqualTo(audioMs);
    assertThat(sentences.getFirst().path("start_ms").asLong()).isZero();
  }

  @Test
  void espeak_words_in_vietnamese_are_measured_and_keep_their_diacritics_and_offsets() {
    String text = "Xin chào các bạn. Hôm nay trời đẹp quá!";
    String id = completed(text, "espeak:vi", 1.0);

    JsonNode answer = api.get("/tts/timings/" + id, user.key()).json();

    List<JsonNode> words = units(answer, "word");
    assertThat(words).isNotEmpty();
    long previousStart = -1;
    for (JsonNode w : words) {
      // espeak-ng's word events, through libespeak-ng, mapped back to the submitted characters
      assertThat(w.path("source").asString()).as(w.toString()).isEqualTo("engine");
      assertThat(text.substring(w.path("char_start").asInt(), w.path("char_end").asInt()))
          .isEqualTo(w.path("text").asString());
      assertThat(w.path("start_ms").asLong()).isGreaterThanOrEqualTo(previousStart);
      assertThat(w.path("end_ms").asLong()).isGreaterThan(w.path("start_ms").asLong());
      previousStart = w.path("start_ms").asLong();
    }
    // every word of the text is covered once (espeak may speak two words as one entry)
    String covered = String.join(" ", words.stream().map(w -> w.path("text").asString()).toList());
    assertThat(covered.replace(" ", "")).isEqualTo(text.replaceAll("[ .!]", ""));
    assertThat(covered).contains("chào", "đẹp", "quá");
    assertThat(units(answer, "sentence")).hasSize(2);
    Pcm audio = WavDecoder.decode(api.get("/tts/audio/" + id, user.key()).body());
    assertThat(units(answer, "sentence").getLast().path("end_ms").asLong())
        .isEqualTo(audio.sampleCount() * 1000L / audio.sampleRate());
  }

  @Test
  void a_repeat_answered_from_the_stored_audio_has_the_same_timings() {
    String first = completed(TEXT, "mary:cmu-slt-hsmm", 1.0);
    ApiClient.Response again =
        api.post(
            "/tts/request",
            user.key(),
            ApiClient.json(
                Map.of(
                    "text",
                    TEXT,
                    "voice_settings",
                    Map.of("voice", "mary:cmu-slt-hsmm", "speed", 1.0),
                    "format",
                    "wav")));
    String repeat = again.json().path("request_id").asString();
    awaitStatus(user.key(), repeat, "completed");

    JsonNode made = api.get("/tts/timings/" + first, user.key()).json();
    JsonNode stored = api.get("/tts/timings/" + repeat, user.key()).json();

    assertThat(stored.path("timings")).isEqualTo(made.path("timings"));
    assertThat(units(stored, "word"))
        .allSatisfy(w -> assertThat(w.path("source").asString()).isNotEmpty());
    assertThat(jdbc.sql("SELECT count(*) FROM audio_timings").query(Long.class).single())
        .as("kept once, by content key")
        .isEqualTo(1);
  }

  @Test
  void polly_speech_marks_count_bytes_of_the_text() {
    String id = completed(TEXT, "mary:cmu-slt-hsmm", 1.0);

    ApiClient.Response polly = api.get("/tts/timings/" + id + "?format=polly", user.key());

    assertThat(polly.status()).isEqualTo(200);
    assertThat(polly.header("Content-Type")).startsWith("application/x-json-stream");
    byte[] utf8 = TEXT.getBytes(StandardCharsets.UTF_8);
    List<JsonNode> marks = new ArrayList<>();
    for (String line : polly.text().split("\n")) {
      marks.add(JsonMapper.builder().build().readTree(line));
    }
    assertThat(marks.getFirst().path("type").asString()).isEqualTo("sentence");
    JsonNode cafe =
        marks.stream().filter(m -> m.path("value").asString().equals("café")).findFirst().get();
    assertThat(cafe.propertyNames()).containsExactly("time", "type", "start", "end", "value");
    String bytes =
        new String(
            utf8,
            cafe.path("start").asInt(),
            cafe.path("end").asInt() - cafe.path("start").asInt(),
            StandardCharsets.UTF_8);
    assertThat(bytes).isEqualTo("café");
    long previous = 0;
    for (JsonNode m : marks) {
      assertThat(m.path("time").asLong()).isGreaterThanOrEqualTo(previous);
      previous = m.path("time").asLong();
    }
  }

  @Test
  void a_faster_speed_scales_the_timings() {
    String normal = completed(TEXT, "mary:cmu-slt-hsmm", 1.0);
    String fast = completed(TEXT, "mary:cmu-slt-hsmm", 2.0);

    JsonNode n = api.get("/tts/timings/" + normal, user.key()).json();
    JsonNode f = api.get("/tts/timings/" + fast, user.key()).json();

    double ratio = f.path("duration_ms").asDouble() / n.path("duration_ms").asDouble();
    assertThat(ratio).isCloseTo(0.5, within(0.05));
    List<JsonNode> nw = units(n, "word");
    List<JsonNode> fw = units(f, "word");
    assertThat(fw).hasSameSizeAs(nw);
    for (int i = 0; i < nw.size(); i++) {
      assertThat(fw.get(i).path("start_ms").asDouble())
          .isCloseTo(nw.get(i).path("start_ms").asDouble() * ratio, within(25.0));
    }
  }

  @Test
  void an_engine_that_measures_nothing_gets_estimated_words_inside_exact_sentences() {
    // the marker engine takes 120 characters at a time: one sentence per chunk here, each chunk
    // a tone 10 × its number samples long and 20 samples of silence
    String text =
        "Sentence 160 is here, and it is long enough for half of a chunk of text. "
            + "Sentence 320 comes next and is about as long as the one before it was.";
    String id = completed(text, MarkerEngine.VOICE, 1.0);

    JsonNode answer = api.get("/tts/timings/" + id, user.key()).json();

    List<JsonNode> sentences = units(answer, "sentence");
    assertThat(sentences).hasSize(2);
    assertThat(sentences)
        .allSatisfy(s -> assertThat(s.path("source").asString()).isEqualTo("engine"));
    long firstChunkMs = (1600 + MarkerEngine.GAP) * 1000L / MarkerEngine.SAMPLE_RATE;
    assertThat(sentences.get(1).path("start_ms").asLong()).isEqualTo(firstChunkMs);
    List<JsonNode> words = units(answer, "word");
    assertThat(words).hasSize(31);
    for (JsonNode w : words) {
      assertThat(w.path("source").asString()).isEqualTo("estimated");
      assertThat(text.substring(w.path("char_start").asInt(), w.path("char_end").asInt()))
          .isEqualTo(w.path("text").asString());
    }
    JsonNode second =
        words.stream().filter(w -> w.path("text").asString().equals("320")).findFirst().get();
    assertThat(second.path("start_ms").asLong()).isGreaterThanOrEqualTo(firstChunkMs);
  }

  @Test
  void timings_are_for_the_owner_and_only_once_completed() {
    TestUser other = newUser("other", Caller.Role.USER);
    String id = completed(TEXT, "mary:cmu-slt-hsmm", 1.0);

    assertThat(api.get("/tts/timings/" + id, other.key()).status()).isEqualTo(404);
    assertThat(api.get("/tts/captions/" + id, other.key()).status()).isEqualTo(404);
    assertThat(api.get("/tts/timings/0190d2a4-1c1e-7cc2-9d2f-2f4a3c1e7b10", user.key()).status())
        .isEqualTo(404);
    assertThat(api.get("/tts/timings/" + id + "?format=xml", user.key()).status()).isEqualTo(400);

    worker().stop();
    try {
      String queued = submit("Not yet spoken.", "mary:cmu-slt-hsmm", 1.0);
      ApiClient.Response early = api.get("/tts/timings/" + queued, user.key());
      assertThat(early.status()).isEqualTo(409);
      assertThat(early.json().path("request_status").asString()).isEqualTo("queued");
    } finally {
      worker().start();
    }
  }

  String submit(String text, String voice, double speed) {
    String body =
        ApiClient.json(
            Map.of(
                "text",
                text,
                "voice_settings",
                Map.of("voice", voice, "speed", speed),
                "format",
                "wav"));
    ApiClient.Response submitted = api.post("/tts/request", user.key(), body);
    assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);
    return submitted.json().path("request_id").asString();
  }

  String completed(String text, String voice, double speed) {
    String id = submit(text, voice, speed);
    awaitStatus(user.key(), id, "completed");
    return id;
  }

  static List<JsonNode> units(JsonNode answer, String unit) {
    List<JsonNode> out = new ArrayList<>();
    answer
        .path("timings")
        .forEach(
            t -> {
              if (t.path("unit").asString().equals(unit)) {
                out.add(t);
              }
            });
    return out;
  }
}
