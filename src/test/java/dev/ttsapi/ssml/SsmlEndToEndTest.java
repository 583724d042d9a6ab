package dev.ttsapi.ssml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.engine.espeak.EspeakEngine;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * SSML through the HTTP API, with MaryTTS and espeak-ng, on the real stores: breaks measured as
 * silence in the downloaded audio, prosody as length and level, marks as times, what each engine
 * honoured and dropped, the billing of spoken characters, and refusals of bad or hostile SSML.
 */
class SsmlEndToEndTest extends IntegrationTest {

  private static final String MARY = "mary:cmu-slt-hsmm";

  private Response submit(TestUser user, String voice, String ssml, String textType) {
    Map<String, Object> body = new HashMap<>();
    body.put("text", ssml);
    body.put("voice_settings", Map.of("voice", voice));
    if (textType != null) {
      body.put("text_type", textType);
    }
    return api.post("/tts/request", user.key(), ApiClient.json(body));
  }

  private JsonNode spoken(TestUser user, String voice, String ssml) {
    Response submitted = submit(user, voice, ssml, "ssml");
    assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);
    return awaitStatus(user.key(), submitted.json().path("request_id").asString(), "completed");
  }

  private short[] samples(TestUser user, JsonNode status) throws Exception {
    byte[] wav = api.get("/tts/audio/" + status.path("request_id").asString(), user.key()).body();
    try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
      byte[] b = in.readAllBytes();
      short[] s = new short[b.length / 2];
      for (int i = 0; i < s.length; i++) {
        s[i] = (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8));
      }
      return s;
    }
  }

  private static int sampleRate(JsonNode status, short[] samples) {
    return (int)
        Math.round(samples.length / status.path("audio").path("duration_seconds").asDouble());
  }

  /** Silent stretches (every sample quieter than -44 dBFS), as [start, end) in milliseconds. */
  private static List<long[]> silences(short[] s, int rate, int minMs) {
    List<long[]> out = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= s.length; i++) {
      boolean quiet = i < s.length && Math.abs(s[i]) < 200;
      if (quiet && start < 0) {
        start = i;
      } else if (!quiet && start >= 0) {
        if ((i - start) * 1000L / rate >= minMs && start > 0 && i < s.length) {
          out.add(new long[] {start * 1000L / rate, i * 1000L / rate});
        }
        start = -1;
      }
    }
    return out;
  }

  private static long longestInnerSilenceMs(short[] s, int rate) {
    return silences(s, rate, 1).stream().mapToLong(r -> r[1] - r[0]).max().orElse(0);
  }

  private static double rmsDb(short[] s) {
    double sum = 0;
    for (short v : s) {
      sum += (double) v * v;
    }
    return 10 * Math.log10(sum / s.length);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.isString() ? n.asString() : n.path("feature").asString()));
    return out;
  }

  @Test
  void a_break_is_silence_of_the_asked_length_in_marytts_audio() throws Exception {
    TestUser user = newUser("ssml-break", Caller.Role.USER);
    JsonNode longBreak =
        spoken(user, MARY, "<speak>One two three.<break time=\"1200ms\"/>Four five six.</speak>");
    JsonNode shortBreak =
        spoken(user, MARY, "<speak>One two three.<break time=\"300ms\"/>Four five six.</speak>");

    short[] longSamples = samples(user, longBreak);
    int rate = sampleRate(longBreak, longSamples);
    assertThat(longestInnerSilenceMs(longSamples, rate)).isCloseTo(1200, within(40L));
    short[] shortSamples = samples(user, shortBreak);
    assertThat(longestInnerSilenceMs(shortSamples, rate)).isCloseTo(300, within(40L));
    assertThat(strings(longBreak.path("ssml").path("honoured"))).contains("speak", "break");
    assertThat(longBreak.path("ssml").path("dropped")).isEmpty();
  }

  @Test
  void vietnamese_ssml_on_espeak_speaks_dates_breaks_and_marks_and_bills_the_words()
      throws Exception {
    Assumptions.assumeTrue(EspeakEngine.findOnPath().isPresent(), "espeak-ng is not installed");
    TestUser user = newUser("ssml-vi", Caller.Role.USER);
    String ssml =
        """
        <speak xml:lang="vi">Hôm nay là <say-as interpret-as="date">2/9/1945</say-as>.\
        <break time="800ms"/><mark name="sau"/>Xin chào <say-as interpret-as="cardinal">21</say-as>.</speak>""";
    Response submitted = submit(user, "espeak:vi", ssml, null);
    assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);
    assertThat(strings(submitted.json().path("ssml").path("honoured")))
        .contains("speak", "say-as date", "break", "mark", "say-as cardinal");
    String id = submitted.json().path("request_id").asString();
    JsonNode done = awaitStatus(user.key(), id, "completed");

    short[] s = samples(user, done);
    int rate = sampleRate(done, s);
    List<long[]> gaps = silences(s, rate, 600);
    assertThat(gaps).hasSize(1);
    long[] gap = gaps.getFirst();
    assertThat(gap[1] - gap[0]).isCloseTo(800, within(40L));
    JsonNode mark = done.path("ssml").path("marks").get(0);
    assertThat(mark.path("name").asString()).isEqualTo("sau");
    // The mark is where the words after the break start: the end of the silence, less the
    // engine's own lead-in kept at the cut (10 ms).
    assertThat(mark.path("time_ms").asLong()).isCloseTo(gap[1], within(25L));

    String words =
        "Hôm nay là ngày hai tháng chín năm một nghìn chín trăm bốn mươi lăm . Xin chào hai mươi"
            + " mốt .";
    assertThat(
            jdbc.sql("SELECT text_length FROM requests WHERE id = :id")
                .param("id", UUID.fromString(id))
                .query(Integer.class)
                .single())
        .as("billed: the spoken words, not the markup")
        .isEqualTo(words.codePointCount(0, words.length()))
        .isLessThan(ssml.length());
    assertThat(api.get("/tts/usage", user.key()).json().path("total").path("characters").asLong())
        .isEqualTo(words.codePointCount(0, words.length()));
  }

  @Test
  void prosody_applies_to_its_span_only() throws Exception {
    Assumptions.assumeTrue(EspeakEngine.findOnPath().isPresent(), "espeak-ng is not installed");
    TestUser user = newUser("ssml-prosody", Caller.Role.USER);
    String voice = "espeak:en-us";
    JsonNode normal = spoken(user, voice, "<speak>one two three four five six</speak>");
    JsonNode slow =
        spoken(
            user,
            voice,
            "<speak><prosody rate=\"50%\">one two three four five six</prosody></speak>");
    JsonNode halfSlow =
        spoken(
            user,
            voice,
            "<speak>one two three <prosody rate=\"50%\">four five six</prosody></speak>");
    double n = normal.path("audio").path("duration_seconds").asDouble();
    double s = slow.path("audio").path("duration_seconds").asDouble();
    double h = halfSlow.path("audio").path("duration_seconds").asDouble();
    assertThat(s / n).isGreaterThan(1.6);
    // Only the slow span is slower: longer than all at normal speed, shorter than all slow.
    assertThat(h).isGreaterThan(n * 1.2).isLessThan(s);

    JsonNode soft =
        spoken(
            user,
            voice,
            "<speak><prosody volume=\"-12dB\">one two three four five six</prosody></speak>");
    double drop = rmsDb(samples(user, normal)) - rmsDb(samples(user, soft));
    assertThat(drop).isCloseTo(12.0, within(1.5));
    assertThat(strings(soft.path("ssml").path("honoured"))).contains("prosody volume");
  }

  @Test
  void phonemes_and_lang_are_honoured_where_the_engine_can_and_dropped_where_it_cannot() {
    Assumptions.assumeTrue(EspeakEngine.findOnPath().isPresent(), "espeak-ng is not installed");
    TestUser user = newUser("ssml-phoneme", Caller.Role.USER);
    String ssml =
        "<speak>I say <phoneme alphabet=\"ipa\" ph=\"təˈmɑːtoʊ\">tomato</phoneme>, <lang"
            + " xml:lang=\"vi\">xin chào</lang>.</speak>";

    JsonNode mary = spoken(user, MARY, ssml);
    assertThat(strings(mary.path("ssml").path("honoured"))).contains("phoneme");
    assertThat(strings(mary.path("ssml").path("dropped"))).containsExactly("lang vi");

    JsonNode espeak = spoken(user, "espeak:en-us", ssml);
    assertThat(strings(espeak.path("ssml").path("honoured"))).contains("phoneme", "lang vi");
    assertThat(espeak.path("ssml").path("dropped")).isEmpty();

    JsonNode vietnamese = spoken(user, "espeak:vi", ssml);
    assertThat(strings(vietnamese.path("ssml").path("dropped")))
        .containsExactly("phoneme /təˈmɑːtoʊ/");
    assertThat(vietnamese.path("ssml").path("dropped").get(0).path("reason").asString())
        .contains("English voices only");
    assertThat(vietnamese.path("audio").path("duration_seconds").asDouble()).isPositive();
  }

  @Test
  void a_repeat_answered_from_stored_audio_has_the_same_marks() {
    TestUser user = newUser("ssml-repeat", Caller.Role.USER);
    String ssml =
        "<speak>One.<mark name=\"two\"/>Two.<break time=\"400ms\"/><mark name=\"end\"/></speak>";
    JsonNode first = spoken(user, MARY, ssml);
    JsonNode marks = first.path("ssml").path("marks");
    assertThat(marks).hasSize(2);
    assertThat(marks.get(0).path("time_ms").asLong()).isPositive();
    assertThat(marks.get(1).path("time_ms").asLong())
        .isEqualTo(Math.round(first.path("audio").path("duration_seconds").asDouble() * 1000));

    Response repeat = submit(user, MARY, ssml, "ssml");
    assertThat(repeat.json().path("cache_hit").asBoolean()).isTrue();
    assertThat(repeat.json().path("ssml").path("marks")).isEqualTo(marks);
    JsonNode repeated =
        awaitStatus(user.key(), repeat.json().path("request_id").asString(), "completed");
    assertThat(repeated.path("ssml").path("marks")).isEqualTo(marks);
  }

  @Test
  void ssml_and_the_same_text_as_plain_text_are_different_audio() {
    TestUser user = newUser("ssml-key", Caller.Role.USER);
    String text = "<speak>Hello there.</speak>";
    Response asSsml = submit(user, MARY, text, null);
    Response asText = submit(user, MARY, text, "text");
    assertThat(asSsml.json().path("ssml").path("honoured").isArray()).isTrue();
    assertThat(asText.json().path("ssml").isMissingNode() || asText.json().path("ssml").isNull())
        .isTrue();
    List<String> keys =
        jdbc.sql("SELECT content_key FROM requests ORDER BY id").query(String.class).list();
    assertThat(keys).hasSize(2).doesNotHaveDuplicates();
    assertThat(jdbc.sql("SELECT text_length FROM requests ORDER BY id").query(Integer.class).list())
        .containsExactly("Hello there.".length(), text.length());
  }

  @Test
  void a_batch_item_of_ssml_is_spoken_as_ssml() {
    TestUser user = newUser("ssml-batch", Caller.Role.USER);
    Response created =
        api.post(
            "/tts/batches",
            user.key(),
            ApiClient.json(
                Map.of(
                    "voice_settings",
                    Map.of("voice", MARY),
                    "items",
                    List.of(
                        Map.of("text", "<speak>One.<mark name=\"m\"/>Two.</speak>"),
                        Map.of("text", "<speak>as text</speak>", "text_type", "text")))));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    JsonNode items = created.json().path("items");
    JsonNode ssml =
        awaitStatus(user.key(), items.get(0).path("request_id").asString(), "completed");
    assertThat(ssml.path("ssml").path("marks").get(0).path("name").asString()).isEqualTo("m");
    JsonNode plain =
        awaitStatus(user.key(), items.get(1).path("request_id").asString(), "completed");
    assertThat(plain.path("ssml").isMissingNode()).isTrue();
  }

  @Test
  void malformed_ssml_is_a_400_that_points_at_line_and_column() {
    TestUser user = newUser("ssml-bad", Caller.Role.USER);
    Response bad = submit(user, MARY, "<speak>\n  <s>one</p>\n</speak>", "ssml");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
    JsonNode problem = bad.json();
    assertThat(problem.path("type").asString()).endsWith("/invalid-ssml");
    assertThat(problem.path("line").asInt()).isEqualTo(2);
    assertThat(problem.path("column").asInt()).isPositive();
    assertThat(problem.path("detail").asString()).contains("line 2");

    Response notSpeak = submit(user, MARY, "Hello <b>there</b>", "ssml");
    assertThat(notSpeak.status()).isEqualTo(400);
    assertThat(notSpeak.json().path("detail").asString()).contains("<speak>");
    assertThat(submit(user, MARY, "<speak>x</speak>", "html").status()).isEqualTo(400);
    assertThat(jdbc.sql("SELECT count(*) FROM requests").query(Long.class).single()).isZero();
  }

  @Test
  void xxe_and_entity_expansion_attempts_are_refused_and_leak_nothing() {
    TestUser user = newUser("ssml-xxe", Caller.Role.USER);
    List<String> hostile =
        List.of(
            "<?xml version=\"1.0\"?><!DOCTYPE speak [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<speak>&x;</speak>",
            "<!DOCTYPE speak [<!ENTITY a \"lol\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d"
                + " \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]><speak>&d;&d;&d;&d;&d;&d;</speak>",
            "<!DOCTYPE speak SYSTEM \"http://127.0.0.1:9/evil.dtd\"><speak>hi</speak>",
            "<!DOCTYPE speak [<!ENTITY % p SYSTEM \"file:///etc/hostname\"> %p;]><speak>hi</speak>",
            "<speak xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include"
                + " href=\"file:///etc/passwd\" parse=\"text\"/>hi</speak>");
    for (String ssml : hostile) {
      Response answer = submit(user, MARY, ssml, null);
      if (ssml.contains("XInclude")) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        // XInclude is not processed: the element is dropped and only "hi" is spoken.
        assertThat(answer.json().path("ssml").path("dropped").toString()).contains("xi:include");
        String id = answer.json().path("request_id").asString();
        assertThat(
                jdbc.sql("SELECT text_length FROM requests WHERE id = :id")
                    .param("id", UUID.fromString(id))
                    .query(Integer.class)
                    .single())
            .isEqualTo(2);
        continue;
      }
      assertThat(answer.status()).as(ssml).isEqualTo(400);
      assertThat(answer.text()).doesNotContain("root:").doesNotContain("lollol");
    }
  }

  @Test
  void the_ssml_endpoint_lists_what_each_engine_honours() {
    TestUser user = newUser("ssml-list", Caller.Role.USER);
    JsonNode list = api.get("/tts/ssml", user.key()).json();
    assertThat(strings(list.path("engines").path("mary")))
        .contains("break", "prosody rate", "say-as date", "mark", "phoneme (IPA, English voices)");
    assertThat(list.path("say_as_languages").toString()).contains("vi");
  }
}
