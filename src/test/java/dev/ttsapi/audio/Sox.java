package dev.ttsapi.audio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code sox --i} as an independent judge of encoded files. */
public final class Sox {

  private Sox() {}

  public static boolean installed() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isBlank() && Files.isExecutable(Path.of(dir, "sox"))) {
        return true;
      }
    }
    return false;
  }

  /** Whether this sox reads the format (Debian needs libsox-fmt-mp3 for MP3). */
  public static boolean reads(String extension) throws IOException, InterruptedException {
    if (!installed()) {
      return false;
    }
    Process p = new ProcessBuilder("sox", "-h").redirectErrorStream(true).start();
    String help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return help.lines()
        .filter(l -> l.startsWith("AUDIO FILE FORMATS:"))
        .anyMatch(l -> List.of(l.split("\\s+")).contains(extension));
  }

  /** Duration in seconds as {@code sox --i -D} reports it; fails when sox rejects the file. */
  public static double duration(Path file) throws IOException, InterruptedException {
    return Double.parseDouble(info(file, "-D"));
  }

  public static int sampleRate(Path file) throws IOException, InterruptedException {
    return Integer.parseInt(info(file, "-r"));
  }

  private static String info(Path file, String option) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("sox", "--i", option, file.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("sox rejected " + file + ": " + out);
    }
    return out;
  }
}
