package dev.ttsapi.stores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A redis-server started by the application when no {@code REDIS_URL} is set. It keeps an
 * append-only file under the data directory, so queued jobs survive a restart (and PostgreSQL's
 * sweeper re-enqueues anything that did not).
 */
final class EmbeddedRedisServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedRedisServer.class);

  private final RedisServer server;
  private final int port;

  private EmbeddedRedisServer(RedisServer server, int port) {
    this.server = server;
    this.port = port;
  }

  static EmbeddedRedisServer start(Path dataDir) {
    Path dir = dataDir.resolve("redis").toAbsolutePath();
    try {
      Files.createDirectories(dir);
      int port = freePort();
      RedisServer server =
          RedisServer.newRedisServer()
              .port(port)
              .bind("127.0.0.1")
              .setting("dir " + dir)
              .setting("appendonly yes")
              .setting("appendfsync everysec")
              .setting("save 60 1")
              .build();
      server.start();
      log.info("Embedded Redis started on port {} with data in {}", port, dir);
      return new EmbeddedRedisServer(server, port);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start embedded Redis in " + dir, e);
    }
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException {
    server.stop();
  }
}
