package dev.ttsapi.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.audio.speech.SpeechCreateParams.ResponseFormat;
import com.openai.models.audio.speech.SpeechCreateParams.StreamFormat;
import com.openai.models.models.Model;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/audio/speech} through OpenAI's own Java SDK, run once with synthesis in the API's
 * process and once through Redis to a worker.
 */
@Import(PacedEngine.Config.class)
abstract class SpeechEndpointContract extends IntegrationTest {

  static final String TEXT = "Streaming speech is here. It comes out sentence by sentence.";
  static final String THREE_SENTENCES =
      "One short sentence comes first. Then a second one follows it. A third one ends the text.";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired PacedEngine paced;

  TestUser user;
  OpenAIClient openai;

  @BeforeEach
  void client() {
    paced.reset(0);
    user = newUser("speaker-" + System.nanoTime(), Caller.Role.USER);
    openai =
        OpenAIOkHttpClient.builder()
            .baseUrl("http://127.0.0.1:" + port + "/v1")
            .apiKey(user.key())
            .maxRetries(0)
            .build();
  }

  @AfterEach
  void release() {
    paced.release();
    openai.close();
  }

  static SpeechCreateParams.Builder speech(String text, String voice, ResponseFormat format) {
    return SpeechCreateParams.builder()
        .model("tts-1")
        .input(text)
        .voice(voice)
        .responseFormat(format);
  }

  static byte[] readAll(HttpResponse response) throws IOException {
    try (response;
        InputStream body = response.body()) {
      return body.readAllBytes();
    }
  }

  @Test
  void streamed_pcm_is_as_long_as_the_stored_audio_of_the_same_text() throws Exception {
    byte[] streamed =
        readAll(openai.audio().speech().create(speech(TEXT, "alloy", ResponseFormat.PCM).build()));

    String id =
        api.post(
                "/tts/request",
                user.key(),
                ApiClient.json(
                    Map.of(
                        "text",
                        TEXT,
                        "voice_settings",
                        Map.of("voice", "mary:cmu-slt-hsmm"),
                        "format",
                        "pcm",
                        "sample_rate",
                        24000)))
            .json()
            .path("request_id")
            .asString();
    awaitStatus(user.key(), id, "completed");
    byte[] stored = api.get("/tts/audio/" + id, user.key()).body();

    assertThat(streamed.length % 2).isZero();
    assertThat(stored.length).isGreaterThan(24000); // over half a second of speech
    assertThat((double) streamed.length)
        .isCloseTo(stored.length, org.assertj.core.data.Percentage.withPercentage(2));
    assertThat(rms(streamed)).as("speech, not silence").isGreaterThan(100);
  }

  @Test
  void wav_mp3_and_opus_stream_as_their_formats() throws Exception {
    byte[] pcm =
        readAll(
            openai
                .audio()
                .speech()
                .create(speech(TEXT, PacedEngine.VOICE, ResponseFormat.PCM).build()));
    byte[] wav =
        readAll(
            openai
                .audio()
                .speech()
                .create(speech(TEXT, PacedEngine.VOICE, ResponseFormat.WAV).build()));
    byte[] mp3 =
        readAll(
            openai
                .audio()
                .speech()
                .create(speech(TEXT, PacedEngine.VOICE, ResponseFormat.MP3).build()));
    byte[] opus =
        readAll(
            openai
                .audio()
                .speech()
                .create(speech(TEXT, PacedEngine.VOICE, ResponseFormat.OPUS).build()));

    // WAV: the header announces the largest length (unknown while streaming), then the samples.
    assertThat(new String(wav, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
    ByteBuffer header = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(header.getInt(24)).isEqualTo(24000);
    assertThat(Integer.toUnsignedLong(header.getInt(40)))
        .as("the largest length a RIFF file can announce")
        .isEqualTo(0xFFFF_FFFFL - 36);
    assertThat(wav.length - 44).isEqualTo(pcm.length);
    // MP3: frames from the start (sync word), about 64 kbit/s for the audio's duration.
    assertThat(mp3[0] & 0xFF).isEqualTo(0xFF);
    assertThat(mp3[1] & 0xE0).isEqualTo(0xE0);
    double seconds = pcm.length / 2 / 24000.0;
    assertThat(mp3.length)
        .isBetween((int) (seconds * 8000 * 0.8), (int) (seconds * 8000 * 1.3) + 2000);
    // Opus: an Ogg stream with the Opus headers, pages flushed as the chunks came.
    assertThat(new String(opus, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("OggS");
    assertThat(new String(opus, 28, 8, StandardCharsets.US_ASCII)).isEqualTo("OpusHead");
    assertThat(countOf(opus, "OggS")).isGreaterThan(3);
  }

  @Test
  void the_first_sentence_is_heard_while_the_rest_is_still_being_made() throws Exception {
    paced.holdChunks();
    String text = "First words come now. Hold this second sentence back a while.";
    HttpResponse response =
        openai.audio().speech().create(speech(text, PacedEngine.VOICE, ResponseFormat.PCM).build());
    InputStream body = response.body();

    byte[] first =
        CompletableFuture.supplyAsync(() -> readExactly(body, 4000)).get(20, TimeUnit.SECONDS);
    assertThat(first).hasSize(4000);
    // The second sentence cannot be done: it is held until release() below. Its pool thread may
    // only now be entering the engine (seen under CI load), so wait for it to be there.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(paced.running()).as("the second sentence is still held").isEqualTo(1));

    paced.release();
    byte[] rest = body.readAllBytes();
    response.close();
    int expected =
        PacedEngine.pcmBytesAt(24000, "First words come now.")
            + PacedEngine.pcmBytesAt(24000, "Hold this second sentence back a while.");
    assertThat(first.length + rest.length)
        .isCloseTo(expected, org.assertj.core.api.Assertions.within(8));
  }

  @Test
  void sse_streams_base64_deltas_then_done_with_usage() throws Exception {
    byte[] pcm =
        readAll(
            openai
                .audio()
                .speech()
                .create(speech(THREE_SENTENCES, PacedEngine.VOICE, ResponseFormat.PCM).build()));
    HttpResponse response =
        openai
            .audio()
            .speech()
            .create(
                speech(THREE_SENTENCES, PacedEngine.VOICE, ResponseFormat.PCM)
                    .streamFormat(StreamFormat.SSE)
                    .build());
    assertThat(response.headers().values("content-type").getFirst())
        .startsWith("text/event-stream");
    String events = new String(readAll(response), StandardCharsets.UTF_8);

    ByteArrayOutputStream audio = new ByteArrayOutputStream();
    List<JsonNode> parsed =
        events
            .lines()
            .filter(l -> l.startsWith("data: "))
            .map(l -> JSON.readTree(l.substring(6)))
            .toList();
    assertThat(parsed).hasSizeGreaterThan(2);
    for (JsonNode delta : parsed.subList(0, parsed.size() - 1)) {
      if (delta.path("type").asString().equals("speech.timing")) {
        continue; // what is heard in the chunk before it: see sse_timing_events_…
      }
      assertThat(delta.path("type").asString()).isEqualTo("speech.audio.delta");
      audio.write(Base64.getDecoder().decode(delta.path("audio").asString()));
    }
    JsonNode done = parsed.getLast();
    assertThat(done.path("type").asString()).isEqualTo("speech.audio.done");
    assertThat(done.path("usage").path("total_tokens").asLong())
        .isEqualTo(THREE_SENTENCES.length());
    assertThat(audio.toByteArray()).isEqualTo(pcm);
  }

  @Test
  void sse_timing_events_say_where_each_word_of_each_chunk_is_heard() throws Exception {
    HttpResponse response =
        openai
            .audio()
            .speech()
            .create(
                speech(THREE_SENTENCES, "mary:cmu-slt-hsmm", ResponseFormat.PCM)
                    .streamFormat(StreamFormat.SSE)
                    .build());
    List<JsonNode> events =
        new String(readAll(response), StandardCharsets.UTF_8)
            .lines()
            .filter(l -> l.startsWith("data: "))
            .map(l -> JSON.readTree(l.substring(6)))
            .toList();

    long samples = 0;
    long previousEnd = 0;
    List<String> words = new java.util.ArrayList<>();
    List<JsonNode> sentences = new java.util.ArrayList<>();
    for (JsonNode event : events) {
      switch (event.path("type").asString()) {
        case "speech.audio.delta" ->
            samples += Base64.getDecoder().decode(event.path("audio").asString()).length / 2;
        case "speech.timing" -> {
          for (JsonNode t : event.path("timings")) {
            assertThat(t.path("end_ms").asLong())
                .as("a timing comes after the audio it is about")
                .isLessThanOrEqualTo(samples * 1000 / 24000);
            if (t.path("unit").asString().equals("sentence")) {
              sentences.add(t);
              continue;
            }
            assertThat(t.path("source").asString()).isEqualTo("engine");
            assertThat(t.path("start_ms").asLong()).isGreaterThanOrEqualTo(previousEnd);
            previousEnd = t.path("end_ms").asLong();
            words.add(
                THREE_SENTENCES.substring(
                    t.path("char_start").asInt(), t.path("char_end").asInt()));
          }
        }
        default -> {}
      }
    }
    assertThat(words)
        .containsExactly(
            "One",
            "short",
            "sentence",
            "comes",
            "first",
            "Then",
            "a",
            "second",
            "one",
            "follows",
            "it",
            "A",
            "third",
            "one",
            "ends",
            "the",
            "text");
    assertThat(sentences).hasSize(3);
    assertThat(sentences.getLast().path("end_ms").asLong()).isEqualTo(samples * 1000 / 24000);
  }

  @Test
  void an_unsupported_response_format_is_a_400_problem() {
    assertThatThrownBy(
            () -> openai.audio().speech().create(speech(TEXT, "alloy", ResponseFormat.AAC).build()))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(e.getMessage()).contains("response_format"));

    ApiClient.Response raw =
        api.post(
            "/v1/audio/speech",
            user.key(),
            ApiClient.json(
                Map.of(
                    "model",
                    "tts-1",
                    "input",
                    "Hi.",
                    "voice",
                    "alloy",
                    "response_format",
                    "flac")));
    assertThat(raw.status()).isEqualTo(400);
    assertThat(raw.header("Content-Type")).startsWith("application/problem+json");
    assertThat(raw.json().path("type").asString()).endsWith("/invalid-request");
    assertThat(raw.json().path("param").asString()).isEqualTo("response_format");
    assertThat(raw.json().path("detail").asString()).contains("mp3, opus, wav, pcm");
  }

  @Test
  void unknown_models_and_voices_and_missing_keys_are_refused() {
    assertThat(
            api.post(
                    "/v1/audio/speech",
                    user.key(),
                    ApiClient.json(Map.of("model", "tts-9", "input", "Hi.", "voice", "alloy")))
                .status())
        .isEqualTo(400);
    assertThat(
            api.post(
                    "/v1/audio/speech",
                    user.key(),
                    ApiClient.json(Map.of("model", "tts-1", "input", "Hi.", "voice", "nobody")))
                .json()
                .path("type")
                .asString())
        .endsWith("/unknown-voice");
    assertThat(
            api.post(
                    "/v1/audio/speech",
                    null,
                    ApiClient.json(Map.of("model", "tts-1", "input", "Hi.", "voice", "alloy")))
                .status())
        .isEqualTo(401);
  }

  @Test
  void models_are_listed_in_openai_shape() {
    List<String> ids = openai.models().list().data().stream().map(Model::id).toList();

    assertThat(ids).contains("tts-1", "tts-1-hd", "gpt-4o-mini-tts");
  }

  @Test
  void a_streamed_request_is_recorded_once_in_daily_usage() throws Exception {
    readAll(
        openai
            .audio()
            .speech()
            .create(speech(TEXT, PacedEngine.VOICE, ResponseFormat.MP3).build()));

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(
                        jdbc.sql("SELECT requests, characters FROM usage_daily WHERE user_id = ?")
                            .param(user.caller().userId())
                            .query((rs, n) -> List.of(rs.getLong(1), rs.getLong(2)))
                            .list())
                    .containsExactly(List.of(1L, (long) TEXT.length())));
  }

  @Test
  void the_rate_limit_and_the_character_quota_of_tts_request_apply() {
    TestUser admin = newUser("speech-admin-" + System.nanoTime(), Caller.Role.ADMIN);
    Map<String, Object> limits = new java.util.LinkedHashMap<>();
    limits.put("requests_per_minute", 50);
    limits.put("characters_per_day", (long) TEXT.length() + 10);
    assertThat(
            api.put(
                    "/admin/users/" + user.caller().userId() + "/limits",
                    admin.key(),
                    ApiClient.json(limits))
                .status())
        .isEqualTo(200);
    String body =
        ApiClient.json(
            Map.of(
                "model",
                "tts-1",
                "input",
                TEXT,
                "voice",
                PacedEngine.VOICE,
                "response_format",
                "pcm"));

    ApiClient.Response first = api.post("/v1/audio/speech", user.key(), body);
    ApiClient.Response second = api.post("/v1/audio/speech", user.key(), body);

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("RateLimit-Limit")).isEqualTo("50");
    assertThat(second.status()).isEqualTo(429);
    assertThat(second.json().path("type").asString()).endsWith("/quota-exceeded");
  }

  @Test
  void a_client_that_goes_away_stops_the_synthesis_of_the_rest() throws Exception {
    paced.reset(150);
    StringBuilder text = new StringBuilder();
    int sentences = 40;
    for (int i = 1; i <= sentences; i++) {
      text.append("This is sentence number ").append(i).append(" of the text. ");
    }
    String body =
        ApiClient.json(
            Map.of(
                "model",
                "tts-1",
                "input",
                text.toString(),
                "voice",
                PacedEngine.VOICE,
                "response_format",
                "pcm"));
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      out.write(
          ("POST /v1/audio/speech HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + user.key()
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + bytes.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      // Wait for the status line and the first audio, then hang up.
      byte[] start = socket.getInputStream().readNBytes(2000);
      assertThat(new String(start, 0, 12, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> paced.running() == 0);
    int made = paced.calls();
    await()
        .during(Duration.ofMillis(1000))
        .atMost(Duration.ofSeconds(5))
        .until(() -> paced.calls() == made);
    assertThat(made).as("chunks synthesized of " + sentences).isLessThan(sentences / 2);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                jdbc.sql("SELECT requests FROM usage_daily WHERE user_id = ?")
                        .param(user.caller().userId())
                        .query(Long.class)
                        .optional()
                        .orElse(0L)
                    == 1L);
  }

  private static byte[] readExactly(InputStream in, int n) {
    try {
      return in.readNBytes(n);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int countOf(byte[] haystack, String needle) {
    String s = new String(haystack, StandardCharsets.ISO_8859_1);
    int count = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      count++;
    }
    return count;
  }

  static double rms(byte[] pcm) {
    ByteBuffer b = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
    double sum = 0;
    int n = pcm.length / 2;
    for (int i = 0; i < n; i++) {
      double s = b.getShort();
      sum += s * s;
    }
    return Math.sqrt(sum / Math.max(1, n));
  }
}
