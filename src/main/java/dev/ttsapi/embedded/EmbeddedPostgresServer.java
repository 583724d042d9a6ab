package dev.ttsapi.embedded;

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
 * stays under the data directory, so a restart keeps every request.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  static EmbeddedPostgresServer start(Path dataDir) {
    Path dir = dataDir.resolve("postgres").toAbsolutePath();
    try {
      Files.createDirectories(dir);
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir)
              .setCleanDataDirectory(false)
              .setServerConfig("max_connections", "100")
              .setServerConfig("listen_addresses", "127.0.0.1")
              .start();
      log.info("Embedded PostgreSQL started on port {} with data in {}", postgres.getPort(), dir);
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
