package dev.ttsapi.timings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.audio.WavDecoder;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The timings of a 20,000-character document, made of many chunks synthesized side by side: every
 * unit in the order it is heard, sentences one after another without a gap or an overlap, the last
 * ending where the audio ends, and every character offset on its own text. MaryTTS's document
 * (3,000 characters: minutes of synthesis on a shared core) is checked the same way by {@link
 * dev.ttsapi.api.LongTextTest}, from the run that test makes of it anyway.
 */
// LongTextTest's limit (any above 20,000 would do), so the two share one application context.
@TestPropertySource(properties = "tts.request.max-text-length=100000")
public class LongDocumentTimingsTest extends IntegrationTest {

  @Test
  void timings_of_a_long_espeak_document_stay_in_order_and_end_with_the_audio() {
    int length = 20_000;
    TestUser user = newUser("long", Caller.Role.USER);
    String text = document(length);
    ApiClient.Response submitted =
        api.post(
            "/tts/request",
            user.key(),
            ApiClient.json(
                Map.of(
                    "text",
                    text,
                    "voice_settings",
                    Map.of("voice", "espeak:en-us"),
                    "format",
                    "wav")));
    assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);
    String id = submitted.json().path("request_id").asString();
    Awaitility.await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                api.get("/tts/status/" + id, user.key())
                    .json()
                    .path("status")
                    .asString()
                    .equals("completed"));

    JsonNode answer = api.get("/tts/timings/" + id, user.key()).json();
    Pcm audio = WavDecoder.decode(api.get("/tts/audio/" + id, user.key()).body());
    assertTimingsInOrderAndEndingWithTheAudio(text, length, answer, audio);
  }

  /**
   * The checks on the timings of {@code text} ({@link #document} of {@code length}) spoken as
   * {@code audio}, {@code answer} being what {@code GET /tts/timings/{id}} returned: sentences back
   * to back from 0 to the audio's end, words in order inside it, each on its own characters of the
   * text.
   */
  public static void assertTimingsInOrderAndEndingWithTheAudio(
      String text, int length, JsonNode answer, Pcm audio) {
    long audioMs = audio.sampleCount() * 1000L / audio.sampleRate();

    List<JsonNode> sentences = TimingsApiTest.units(answer, "sentence");
    List<JsonNode> words = TimingsApiTest.units(answer, "word");
    assertThat(sentences).hasSizeGreaterThan(length / 100);
    assertThat(sentences.getFirst().path("start_ms").asLong()).isZero();
    assertThat(sentences.getLast().path("end_ms").asLong()).isEqualTo(audioMs);
    for (int i = 1; i < sentences.size(); i++) {
      assertThat(sentences.get(i).path("start_ms").asLong())
          .as("sentence %d starts where the one before ends", i)
          .isEqualTo(sentences.get(i - 1).path("end_ms").asLong());
      assertThat(sentences.get(i).path("char_start").asInt())
          .isGreaterThan(sentences.get(i - 1).path("char_start").asInt());
    }
    assertThat(words).hasSizeGreaterThan(length / 7);
    long previousEnd = 0;
    int previousChar = -1;
    for (JsonNode w : words) {
      assertThat(w.path("start_ms").asLong()).isGreaterThanOrEqualTo(previousEnd);
      assertThat(w.path("end_ms").asLong()).isLessThanOrEqualTo(audioMs);
      assertThat(w.path("char_start").asInt()).isGreaterThan(previousChar);
      assertThat(text.substring(w.path("char_start").asInt(), w.path("char_end").asInt()))
          .isEqualTo(w.path("text").asString());
      previousEnd = w.path("end_ms").asLong();
      previousChar = w.path("char_start").asInt();
    }
  }

  /** Varied sentences, some with numbers, up to {@code length} characters. */
  public static String document(int length) {
    String[] sentences = {
      "The river ran quietly past the old mill, where nobody had worked for years.",
      "In 1998 the town council voted to keep it standing.",
      "Children still dared each other to touch its door after dark!",
      "Was it haunted, or only forgotten?",
      "Every spring the water rose, and every autumn it fell back again.",
      "A painter came one summer; she stayed for three weeks and left nine pictures."
    };
    StringBuilder text = new StringBuilder();
    for (int i = 0; ; i++) {
      String next = sentences[i % sentences.length];
      String separator = i % 7 == 6 ? "\n\n" : " ";
      if (text.length() + separator.length() + next.length() > length) {
        return text.toString();
      }
      text.append(i == 0 ? "" : separator).append(next);
    }
  }
}
