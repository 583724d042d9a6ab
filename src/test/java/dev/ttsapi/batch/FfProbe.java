package dev.ttsapi.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Debian's ffprobe (package ffmpeg) as an independent reader of chapters and durations. */
final class FfProbe {

  private FfProbe() {}

  static boolean installed() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isBlank() && Files.isExecutable(Path.of(dir, "ffprobe"))) {
        return true;
      }
    }
    return false;
  }

  /** {@code ffprobe -show_chapters -show_format} as JSON; fails when ffprobe rejects the file. */
  static JsonNode chaptersAndFormat(Path file) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "ffprobe",
                "-v",
                "error",
                "-show_chapters",
                "-show_format",
                "-of",
                "json",
                file.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("ffprobe rejected " + file + ": " + out);
    }
    return JsonMapper.builder().build().readTree(out);
  }
}
