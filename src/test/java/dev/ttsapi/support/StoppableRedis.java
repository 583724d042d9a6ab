package dev.ttsapi.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * A redis-server of a test's own, on a fixed port it keeps across a stop and a start, so the
 * application under test sees its Redis go away and come back at the same address. The port is the
 * first free one of {@code tts.test.private-ports} (7201-7299 unless set), a range kept apart from
 * everyone else's servers on the machine.
 */
public final class StoppableRedis implements AutoCloseable {

  private final int port;
  private final Path dir;
  private Process process;

  private StoppableRedis(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  /** Starts a new server on a free port of the private range. */
  public static StoppableRedis start() {
    String[] range = System.getProperty("tts.test.private-ports", "7201-7299").split("-");
    for (int port = Integer.parseInt(range[0]); port <= Integer.parseInt(range[1]); port++) {
      if (free(port)) {
        try {
          StoppableRedis redis = new StoppableRedis(port, Files.createTempDirectory("redis-"));
          redis.startAgain();
          return redis;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new IllegalStateException("no free port in the private range");
  }

  public String url() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  /** kill -9: no goodbye to the clients, as when the machine or the container dies. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** Starts the server again, empty, on the same port, and waits until it answers. */
  public void startAgain() {
    try {
      process =
          new ProcessBuilder(
                  "redis-server",
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--save",
                  "",
                  "--appendonly",
                  "no",
                  "--dir",
                  dir.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("redis.log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(this::answers);
  }

  /** Starts the server again if a test left it stopped. */
  public void ensureRunning() {
    if (process == null) {
      startAgain();
    }
  }

  @Override
  public void close() {
    kill();
  }

  private boolean answers() {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean free(int port) {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
