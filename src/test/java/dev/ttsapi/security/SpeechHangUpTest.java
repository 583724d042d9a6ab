package dev.ttsapi.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.EngineThreads;
import dev.ttsapi.support.FaultyMaryEngine;
import dev.ttsapi.support.GateEngine;
import dev.ttsapi.support.LowLimitsIntegrationTest;
import dev.ttsapi.support.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Clients that hang up on {@code POST /v1/audio/speech} mid-stream, and users who open more streams
 * than they may at once. A hang-up must cost the node nothing once the chunk MaryTTS was speaking
 * has ended: MaryTTS vocodes on threads of its own that block until every sample is read, so a
 * chunk cut short used to leave them (and megabytes of speech parameters each) parked for good,
 * until the heap filled and every worker on the node paused.
 */
class SpeechHangUpTest extends LowLimitsIntegrationTest {

  static final int CAP = SPEECH_STREAMS_PER_USER;
  private static final int STREAMS = 20;
  private static final int THREAD_MARGIN = 10;
  private static final long HEAP_MARGIN = 64L << 20;

  @Autowired GateEngine gate;

  @AfterEach
  void openGate() {
    gate.open();
  }

  @Test
  void streams_cut_short_leave_no_threads_or_heap_behind() throws Exception {
    String text = longText();
    // Warm up first (MaryTTS's caches, both synthesis threads), then take the baseline.
    TestUser warm = newUser("hang-up-warm", Caller.Role.USER);
    assertThat(
            api.post("/v1/audio/speech", warm.key(), speech("alloy", firstSentences(2))).status())
        .isEqualTo(200);
    int threadsBefore = liveThreads();
    long heapBefore = heapAfterGc();
    Set<Thread> vocodersBefore = EngineThreads.maryVocoders();

    List<TestUser> clients = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      clients.add(newUser("hang-up-" + i, Caller.Role.USER));
    }
    try (ExecutorService hangUps = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> started = new ArrayList<>();
      for (TestUser client : clients) {
        started.add(hangUps.submit(() -> hearTheStartThenHangUp(client.key(), text)));
      }
      for (Future<String> statusLine : started) {
        assertThat(statusLine.get(5, TimeUnit.MINUTES)).isEqualTo("HTTP/1.1 200");
      }
    }

    // The chunks MaryTTS was speaking when the clients went away may finish; nothing may stay.
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(liveThreads())
                  .as("live threads (%d before)", threadsBefore)
                  .isLessThanOrEqualTo(threadsBefore + THREAD_MARGIN);
              assertThat(EngineThreads.maryVocoders())
                  .as("MaryTTS vocoder threads")
                  .isSubsetOf(vocodersBefore);
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(heapAfterGc() >> 20)
                    .as("MB of heap used after GC (%d MB before)", heapBefore >> 20)
                    .isLessThanOrEqualTo((heapBefore + HEAP_MARGIN) >> 20));
    // Every stream's place under the per-user cap was given back when its client went away.
    await().atMost(Duration.ofSeconds(10)).until(() -> openStreamsMetric() == 0.0);
  }

  @Test
  void a_stored_job_whose_one_chunk_fails_leaves_no_engine_threads() {
    Set<Thread> vocodersBefore = EngineThreads.maryVocoders();
    TestUser user = newUser("failing-chunk", Caller.Role.USER);
    String text = FaultyMaryEngine.THROW + " " + longText();

    String id =
        api.post(
                "/tts/request",
                user.key(),
                ApiClient.json(
                    Map.of(
                        "text", text, "voice_settings", Map.of("voice", FaultyMaryEngine.VOICE))))
            .json()
            .path("request_id")
            .asString();
    JsonNode failed = awaitStatus(user.key(), id, "failed");

    assertThat(failed.path("error").asString()).contains("told to throw");
    // MaryTTS may end the chunks it was speaking next to the failed one; it may not keep them.
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(EngineThreads.maryVocoders()).isSubsetOf(vocodersBefore));
  }

  @Test
  void a_user_gets_as_many_streams_at_once_as_the_cap_then_429_until_one_ends() throws Exception {
    TestUser user = newUser("many-streams", Caller.Role.USER);
    // The warm-up speaks once with every engine: let it pass the gate before closing it.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> api.get("/health/ready", null).status() == 200);
    gate.close();
    int callsBefore = gate.calls();
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<ApiClient.Response>> open = new ArrayList<>();
      for (int i = 0; i < CAP; i++) {
        open.add(
            clients.submit(
                () -> api.post("/v1/audio/speech", user.key(), speech(GateEngine.VOICE, "Held."))));
      }
      // Both streams are open: their first chunks wait at the gate.
      await().atMost(Duration.ofSeconds(20)).until(() -> gate.calls() - callsBefore == CAP);

      ApiClient.Response refused =
          api.post("/v1/audio/speech", user.key(), speech(GateEngine.VOICE, "One more."));

      JsonNode problem = Problems.assertProblem(refused, 429, "too-many-streams");
      assertThat(refused.header("Retry-After")).isNotBlank().containsOnlyDigits();
      assertThat(problem.path("error").path("message").asString()).isNotBlank();
      assertThat(problem.path("error").path("code").asString()).isEqualTo("rate_limit_exceeded");
      assertThat(gate.calls() - callsBefore)
          .as("the refused stream was never synthesized")
          .isEqualTo(CAP);

      gate.open();
      assertThat(open.getFirst().get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
      assertThat(
              api.post("/v1/audio/speech", user.key(), speech(GateEngine.VOICE, "Now.")).status())
          .isEqualTo(200);
      assertThat(open.getLast().get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
  }

  @Test
  void streams_that_fail_give_their_place_back() {
    TestUser user = newUser("failing-streams", Caller.Role.USER);

    for (int i = 0; i < CAP + 2; i++) {
      ApiClient.Response failed =
          api.post(
              "/v1/audio/speech",
              user.key(),
              speech(FaultyMaryEngine.VOICE, FaultyMaryEngine.THROW + " attempt " + i + "."));
      Problems.assertProblem(failed, 503, "service-unavailable");
    }
  }

  /**
   * Asks for {@code text} on a socket of its own, reads the status line and the first audio, then
   * hangs up with a reset (as a killed client or a dropped network does), and answers the status
   * line.
   */
  private String hearTheStartThenHangUp(String key, String text) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout((int) Duration.ofMinutes(5).toMillis());
      byte[] body = speech("alloy", text).getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/audio/speech HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + key
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] start = in.readNBytes(4000);
      socket.setSoLinger(true, 0);
      return new String(start, 0, Math.min(12, start.length), StandardCharsets.US_ASCII);
    }
  }

  private static String speech(String voice, String text) {
    return ApiClient.json(
        Map.of("model", "tts-1", "input", text, "voice", voice, "response_format", "pcm"));
  }

  /** About 3,000 characters: a first chunk and then several more for MaryTTS. */
  private static String longText() {
    return firstSentences(30);
  }

  private static String firstSentences(int n) {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      text.append("Sentence number ")
          .append(i)
          .append(" tells a little more of this story, so that the speech goes on for a while. ");
    }
    return text.toString().strip();
  }

  /** The gauge of open speech streams on this node; NaN when it is not published. */
  private double openStreamsMetric() {
    return api.get("/metrics", null)
        .text()
        .lines()
        .filter(l -> l.startsWith("tts_speech_streams"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .reduce(Double::sum)
        .orElse(Double.NaN);
  }

  private static int liveThreads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  private static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
