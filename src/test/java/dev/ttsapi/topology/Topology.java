package dev.ttsapi.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The multi-node topology of {@code deploy/local/cluster.sh}, driven from a test: the same script
 * an operator runs, so the test proves the script too.
 */
final class Topology implements AutoCloseable {

  private static final Path SCRIPT = Path.of("deploy/local/cluster.sh");

  private final Map<String, String> environment;
  private final Map<String, String> addresses = new LinkedHashMap<>();

  private Topology(Map<String, String> environment) {
    this.environment = environment;
  }

  /** Starts every part (or finds them running) and reads the addresses the script gives. */
  static Topology up(Map<String, String> environment) {
    Topology topology = new Topology(environment);
    topology.run(15, "up");
    for (String line : topology.run(1, "env").split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        topology.addresses.put(
            line.substring(0, equals), line.substring(equals + 1).replace("\"", ""));
      }
    }
    return topology;
  }

  String address(String name) {
    String value = addresses.get(name);
    if (value == null) {
      throw new IllegalStateException("cluster.sh env gave no " + name + ": " + addresses);
    }
    return value;
  }

  List<String> list(String name) {
    return List.of(address(name).split(" "));
  }

  void kill(String part) {
    run(1, "kill", part);
  }

  void start(String part) {
    run(5, "start", part);
  }

  String status() {
    return run(1, "status");
  }

  String log(String part) {
    try {
      return Files.readString(
          Path.of(address("TOPOLOGY_DIR"), "logs", part + ".log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (!Boolean.getBoolean("tts.topology.keep")) {
      run(2, "down");
    }
  }

  private String run(int minutes, String... arguments) {
    try {
      Path output = Files.createTempFile("cluster-sh", ".log");
      ProcessBuilder builder =
          new ProcessBuilder(
                  java.util.stream.Stream.concat(
                          java.util.stream.Stream.of(SCRIPT.toString()),
                          List.of(arguments).stream())
                      .toList())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "cluster.sh " + String.join(" ", arguments) + " took over " + minutes + " min");
      }
      String text = Files.readString(output);
      Files.delete(output);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "cluster.sh " + String.join(" ", arguments) + " failed:\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
