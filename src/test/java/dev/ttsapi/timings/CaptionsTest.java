package dev.ttsapi.timings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /tts/captions/{id}}: WebVTT and SRT that ffmpeg reads, cues of at most two lines of 42
 * characters, every word of the text shown once, in order, none split.
 */
class CaptionsTest extends IntegrationTest {

  static final String TEXT =
      "Captions are made from the same timings as everything else. Each cue holds at most two"
          + " lines, and a line never has more than forty-two characters in it. Words like"
          + " incomprehensibilities stay whole! Does the last one end where the audio ends?";

  @TempDir Path dir;
  private TestUser user;
  private String id;

  @BeforeEach
  void speak() {
    user = newUser("captions", Caller.Role.USER);
    ApiClient.Response submitted =
        api.post(
            "/tts/request",
            user.key(),
            ApiClient.json(
                Map.of("text", TEXT, "voice_settings", Map.of("voice", "mary:cmu-slt-hsmm"))));
    id = submitted.json().path("request_id").asString();
    awaitStatus(user.key(), id, "completed");
  }

  @Test
  void webvtt_cues_keep_to_two_lines_and_whole_words_and_ffmpeg_reads_them() throws Exception {
    ApiClient.Response vtt = api.get("/tts/captions/" + id + "?format=vtt", user.key());

    assertThat(vtt.status()).isEqualTo(200);
    assertThat(vtt.header("Content-Type")).startsWith("text/vtt");
    List<List<String>> cues = cueLines(vtt.text().substring("WEBVTT\n\n".length()));
    assertShape(cues);
    assertThat(ffprobePackets(vtt.text(), "captions.vtt")).hasSize(cues.size());
  }

  @Test
  void srt_has_the_same_cues_and_ffmpeg_reads_them() throws Exception {
    ApiClient.Response srt = api.get("/tts/captions/" + id + "?format=srt", user.key());
    ApiClient.Response vtt = api.get("/tts/captions/" + id, user.key());

    assertThat(srt.status()).isEqualTo(200);
    List<List<String>> cues = cueLines(srt.text());
    assertShape(cues);
    assertThat(cues).isEqualTo(cueLines(vtt.text().substring("WEBVTT\n\n".length())));
    List<JsonNode> packets = ffprobePackets(srt.text(), "captions.srt");
    assertThat(packets).hasSize(cues.size());
    long durationMs = api.get("/tts/timings/" + id, user.key()).json().path("duration_ms").asLong();
    double previous = -1;
    for (JsonNode p : packets) {
      double start = Double.parseDouble(p.path("pts_time").asString());
      assertThat(start).isGreaterThan(previous);
      assertThat(start + Double.parseDouble(p.path("duration_time").asString()))
          .isLessThanOrEqualTo(durationMs / 1000.0 + 0.001);
      previous = start;
    }
  }

  private static void assertShape(List<List<String>> cues) {
    List<String> shown = new ArrayList<>();
    for (List<String> cue : cues) {
      assertThat(cue).hasSizeBetween(1, Captions.LINES);
      for (String line : cue) {
        assertThat(line.length()).as(line).isLessThanOrEqualTo(Captions.LINE);
        shown.addAll(Arrays.asList(line.split(" ")));
      }
    }
    assertThat(shown).as("every word once, in order, whole").containsExactly(TEXT.split(" "));
  }

  /** The text lines of each cue (after its number and times). */
  private static List<List<String>> cueLines(String body) {
    List<List<String>> cues = new ArrayList<>();
    for (String block : body.strip().split("\n\n")) {
      String[] lines = block.split("\n");
      assertThat(lines[1])
          .matches("\\d\\d:\\d\\d:\\d\\d[.,]\\d{3} --> \\d\\d:\\d\\d:\\d\\d[.,]\\d{3}");
      cues.add(List.of(lines).subList(2, lines.length));
    }
    return cues;
  }

  /** The subtitle packets ffprobe reads from the file; fails when it rejects it. */
  private List<JsonNode> ffprobePackets(String captions, String name)
      throws IOException, InterruptedException {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/ffprobe")), "needs ffprobe (Debian package ffmpeg)");
    Path file = dir.resolve(name);
    Files.writeString(file, captions, StandardCharsets.UTF_8);
    Process p =
        new ProcessBuilder(
                "ffprobe", "-v", "error", "-show_packets", "-of", "json", file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    List<JsonNode> packets = new ArrayList<>();
    JsonMapper.builder().build().readTree(out).path("packets").forEach(packets::add);
    return packets;
  }
}
