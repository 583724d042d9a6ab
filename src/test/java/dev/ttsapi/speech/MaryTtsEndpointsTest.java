package dev.ttsapi.speech;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ExampleHosts;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Problems;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.PasswordAuthentication;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Import;

/**
 * MaryTTS clients can use the service unchanged. The requests are built as MaryTTS 5.2.1's own
 * {@code MaryHttpClient} builds them (its artifact is not on Maven Central, so its code is followed
 * here): info requests are GETs of {@code /version}, {@code /voices}, {@code /locales} by {@code
 * HttpURLConnection}; synthesis is a POST of {@code /process} with {@code Content-type:
 * application/x-www-form-urlencoded} and {@code INPUT_TEXT, INPUT_TYPE, OUTPUT_TYPE, LOCALE,
 * AUDIO=<type>_FILE, VOICE} in that order. Such a client has no way to send a Bearer header: it
 * answers the 401's Basic challenge through an {@link Authenticator}, or carries the key in the
 * URL. The audio is read back with Java Sound, as a MaryTTS client plays it.
 */
@Import(ExampleHosts.class)
class MaryTtsEndpointsTest extends IntegrationTest {

  private static final String TEXT = "Hello from tts-api, the MaryTTS way.";

  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private Logger root;
  private TestUser user;

  @BeforeEach
  void userAndLogs() {
    user = newUser("mary-client", Caller.Role.USER);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logged.setContext(context);
    logged.start();
    root.addAppender(logged);
  }

  @AfterEach
  void stopCapturing() {
    root.detachAppender(logged);
    logged.stop();
  }

  @Test
  void info_requests_answer_marytts_plain_text_formats() throws IOException {
    Answer version = get("/version", user.key());
    assertThat(version.status()).isEqualTo(200);
    assertThat(version.contentType()).startsWith("text/plain");
    // MaryFormData.toServerVersionInfo: "Mary TTS server" then the version, >= 3.0.1 streams.
    String[] words = version.text().split(" ");
    assertThat(words).startsWith("Mary", "TTS", "server");
    assertThat(words[3]).isEqualTo("5.2.1");

    Answer voices = get("/voices", user.key());
    assertThat(voices.status()).isEqualTo(200);
    List<String> lines = voices.text().lines().toList();
    assertThat(lines).contains("mary:cmu-slt-hsmm en_US female hmm");
    assertThat(lines).allSatisfy(line -> assertThat(line.split(" ")).hasSize(4));

    Answer locales = get("/locales", user.key());
    assertThat(locales.status()).isEqualTo(200);
    assertThat(locales.text().lines().toList()).contains("en_US").doesNotHaveDuplicates();
  }

  @Test
  void marytts_client_post_gets_a_wave_file_after_answering_the_basic_challenge() throws Exception {
    Answer answer =
        post(
            maryParameters(TEXT, "WAVE", "cmu-slt-hsmm"),
            new Authenticator() {
              @Override
              protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication("marytts", user.key().toCharArray());
              }
            });

    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    assertThat(answer.contentType()).isEqualTo("audio/x-wav");
    AudioFileFormat format =
        AudioSystem.getAudioFileFormat(new ByteArrayInputStream(answer.body()));
    assertThat(format.getType()).isEqualTo(AudioFileFormat.Type.WAVE);
    assertSpeech(answer.body());
  }

  @Test
  void get_with_the_key_in_the_query_answers_au_and_aiff_as_marytts_does_and_never_logs_the_key()
      throws Exception {
    for (Map.Entry<String, String> type :
        Map.of("AU", "audio/basic", "AIFF", "audio/x-aiff").entrySet()) {
      String query = form(maryParameters(TEXT, type.getKey(), null)) + "&api_key=" + user.key();
      Answer answer = get("/process?" + query, null);

      assertThat(answer.status()).as(answer.text()).isEqualTo(200);
      assertThat(answer.contentType()).isEqualTo(type.getValue());
      assertThat(AudioSystem.getAudioFileFormat(new ByteArrayInputStream(answer.body())).getType())
          .isEqualTo(
              type.getKey().equals("AU") ? AudioFileFormat.Type.AU : AudioFileFormat.Type.AIFF);
      assertSpeech(answer.body());
    }
    Answer wrongKey =
        get(
            "/process?" + form(maryParameters(TEXT, "WAVE", null)) + "&api_key=tts_wrong-key-123",
            null);
    assertThat(wrongKey.status()).isEqualTo(401);

    assertThat(logged.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .isNotEmpty()
        .noneMatch(
            message -> message.contains(user.key()) || message.contains("tts_wrong-key-123"));
  }

  @Test
  void
      without_a_key_the_answer_is_a_401_with_a_basic_challenge_and_other_endpoints_take_no_key_in_the_query() {
    ApiClient.Response noKey =
        api.get("/process?" + form(maryParameters(TEXT, "WAVE", null)), null);
    Problems.assertProblem(noKey, 401, "unauthenticated");
    assertThat(
            noKey.headers().entrySet().stream()
                .filter(h -> h.getKey().equalsIgnoreCase("WWW-Authenticate"))
                .flatMap(h -> h.getValue().stream()))
        .contains("Bearer")
        .anyMatch(challenge -> challenge.startsWith("Basic realm="));

    // The key in the URL is for the MaryTTS endpoints only.
    Problems.assertProblem(
        api.get("/tts/voices?api_key=" + user.key(), null), 401, "unauthenticated");
  }

  @Test
  void what_this_service_cannot_make_is_refused_with_a_problem_naming_the_parameter() {
    Map<String, String> ssml = maryParameters("<speak>Hi</speak>", "WAVE", null);
    ssml.put("INPUT_TYPE", "SSML");
    assertRefused(ssml, "INPUT_TYPE");

    Map<String, String> phonemes = maryParameters(TEXT, "WAVE", null);
    phonemes.put("OUTPUT_TYPE", "PHONEMES");
    assertRefused(phonemes, "OUTPUT_TYPE");

    assertRefused(maryParameters(TEXT, "Vorbis", null), "AUDIO");

    Map<String, String> noLocale = maryParameters(TEXT, "WAVE", null);
    noLocale.remove("LOCALE");
    assertRefused(noLocale, "LOCALE");

    Map<String, String> noVoice = maryParameters(TEXT, "WAVE", "no-such-voice");
    ApiClient.Response unknown =
        api.post("/process", user.key(), form(noVoice), "application/x-www-form-urlencoded");
    Problems.assertProblem(unknown, 400, "unknown-voice");
  }

  @Test
  void voice_female_picks_the_locales_female_voice_as_marytts_does() {
    ApiClient.Response answer =
        api.post(
            "/process",
            user.key(),
            form(maryParameters(TEXT, "WAVE", "female")),
            "application/x-www-form-urlencoded");

    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    assertThat(answer.header("X-Voice")).isEqualTo("mary:cmu-slt-hsmm");
  }

  @Test
  void a_get_process_is_charged_to_the_submit_budget_and_its_characters_to_quota_and_usage() {
    TestUser admin = newUser("mary-admin", Caller.Role.ADMIN);
    ApiClient.Response limits =
        api.put(
            "/admin/users/" + user.caller().userId() + "/limits",
            admin.key(),
            "{\"requests_per_minute\": 1, \"characters_per_day\": 100000}");
    assertThat(limits.status()).as(limits.text()).isEqualTo(200);
    String query = "/process?" + form(maryParameters(TEXT, "WAVE", null));

    assertThat(api.get(query, user.key()).status()).isEqualTo(200);
    // Reads have their own, larger budget (100000 a minute here); a synthesis is not a read.
    Problems.assertProblem(api.get(query, user.key()), 429, "rate-limited");

    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        api.get("/tts/usage", user.key())
                            .json()
                            .path("total")
                            .path("characters")
                            .asLong())
                    .isEqualTo(TEXT.length()));
  }

  @Test
  void the_daily_quota_refuses_a_text_longer_than_what_is_left() {
    TestUser admin = newUser("mary-admin", Caller.Role.ADMIN);
    api.put(
        "/admin/users/" + user.caller().userId() + "/limits",
        admin.key(),
        "{\"characters_per_day\": 10}");

    ApiClient.Response answer =
        api.post(
            "/process",
            user.key(),
            form(maryParameters(TEXT, "WAVE", null)),
            "application/x-www-form-urlencoded");

    Problems.assertProblem(answer, 429, "quota-exceeded");
  }

  private void assertRefused(Map<String, String> parameters, String parameter) {
    ApiClient.Response answer =
        api.post("/process", user.key(), form(parameters), "application/x-www-form-urlencoded");
    assertThat(Problems.assertProblem(answer, 400, "invalid-request").path("param").asString())
        .isEqualTo(parameter);
  }

  /** Sound, not silence: a second or more of 16-bit mono with a level above the noise floor. */
  private static void assertSpeech(byte[] file) throws Exception {
    try (AudioInputStream audio = AudioSystem.getAudioInputStream(new ByteArrayInputStream(file))) {
      assertThat(audio.getFormat().getChannels()).isEqualTo(1);
      assertThat(audio.getFormat().getSampleSizeInBits()).isEqualTo(16);
      byte[] pcm = audio.readAllBytes();
      double seconds = pcm.length / 2.0 / audio.getFormat().getSampleRate();
      assertThat(seconds).isGreaterThan(1.0);
      boolean bigEndian = audio.getFormat().isBigEndian();
      long loud = 0;
      for (int i = 0; i + 1 < pcm.length; i += 2) {
        int sample =
            bigEndian ? (pcm[i] << 8) | (pcm[i + 1] & 0xff) : (pcm[i + 1] << 8) | (pcm[i] & 0xff);
        if (Math.abs(sample) > 1000) {
          loud++;
        }
      }
      assertThat(loud).isGreaterThan(1000);
    }
  }

  /** MaryHttpClient's parameters, in its order; AUDIO as it sends a non-streaming type. */
  private static Map<String, String> maryParameters(String text, String audioType, String voice) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("INPUT_TEXT", text);
    parameters.put("INPUT_TYPE", "TEXT");
    parameters.put("OUTPUT_TYPE", "AUDIO");
    parameters.put("LOCALE", "en_US");
    parameters.put("AUDIO", audioType + "_FILE");
    if (voice != null) {
      parameters.put("VOICE", voice);
    }
    return parameters;
  }

  private static String form(Map<String, String> parameters) {
    StringBuilder params = new StringBuilder();
    parameters.forEach(
        (name, value) ->
            params
                .append(params.isEmpty() ? "" : "&")
                .append(name)
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
    return params.toString();
  }

  record Answer(int status, String contentType, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** MaryHttpClient.serverInfoRequest: a plain GET by HttpURLConnection. */
  private Answer get(String pathAndQuery, String key) throws IOException {
    HttpURLConnection http =
        (HttpURLConnection) URI.create(api.base() + pathAndQuery).toURL().openConnection();
    http.setRequestMethod("GET");
    if (key != null) {
      http.setRequestProperty("Authorization", "Bearer " + key);
    }
    http.connect();
    return read(http);
  }

  /** MaryHttpClient.requestInputStream: the form written through a PrintWriter. */
  private Answer post(Map<String, String> parameters, Authenticator authenticator)
      throws IOException {
    HttpURLConnection conn =
        (HttpURLConnection) URI.create(api.base() + "/process").toURL().openConnection();
    conn.setAuthenticator(authenticator);
    conn.setRequestMethod("POST");
    conn.setAllowUserInteraction(false);
    conn.setDoOutput(true);
    conn.setRequestProperty("Content-type", "application/x-www-form-urlencoded");
    OutputStream ost = conn.getOutputStream();
    PrintWriter pw = new PrintWriter(ost);
    pw.print(form(parameters));
    pw.flush();
    pw.close();
    return read(conn);
  }

  private static Answer read(HttpURLConnection http) throws IOException {
    int status = http.getResponseCode();
    try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
      return new Answer(
          status, http.getContentType(), in == null ? new byte[0] : in.readAllBytes());
    }
  }
}
