package dev.ttsapi.database;

import static org.awaitility.Awaitility.await;

import dev.ttsapi.support.TestStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A primary PostgreSQL cluster and a streaming replica of it ({@code pg_basebackup -R}), made by
 * Debian's PostgreSQL binaries in a temporary directory on free ports, as the {@code postgres} OS
 * user when the tests run as root (initdb refuses root). Both are stopped and deleted on close.
 */
final class StreamingReplica implements AutoCloseable {

  static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
  static final String DATABASE = "tts";

  private final Path dir;
  private final int primaryPort = TestStores.freePort();
  private final int replicaPort = TestStores.freePort();
  private boolean replicaRunning;

  static boolean installed() {
    return Stream.of("initdb", "pg_ctl", "pg_basebackup")
        .allMatch(b -> Files.isExecutable(BIN.resolve(b)));
  }

  private StreamingReplica(Path dir) {
    this.dir = dir;
  }

  static StreamingReplica start() throws IOException {
    Path dir = Files.createTempDirectory("tts-replica");
    StreamingReplica clusters = new StreamingReplica(dir);
    try {
      clusters.init();
      return clusters;
    } catch (RuntimeException | IOException e) {
      clusters.close();
      throw e;
    }
  }

  private void init() throws IOException {
    if (asRoot()) {
      Files.setOwner(
          dir,
          dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
    }
    Path primary = dir.resolve("primary");
    run(
        BIN.resolve("initdb").toString(),
        "-D",
        primary.toString(),
        "-U",
        "postgres",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--locale=C",
        "--no-sync");
    append(
        primary.resolve("postgresql.conf"),
        """
        port = %d
        listen_addresses = '127.0.0.1'
        unix_socket_directories = '%s'
        wal_level = replica
        max_wal_senders = 4
        fsync = off
        full_page_writes = off
        """
            .formatted(primaryPort, dir));
    append(primary.resolve("pg_hba.conf"), "host replication all 127.0.0.1/32 trust\n");
    pgCtl("start", primary);
    execute(primaryPort, "postgres", "CREATE DATABASE " + DATABASE);

    Path replica = dir.resolve("replica");
    run(
        BIN.resolve("pg_basebackup").toString(),
        "-h",
        "127.0.0.1",
        "-p",
        Integer.toString(primaryPort),
        "-U",
        "postgres",
        "-D",
        replica.toString(),
        "-R",
        "-X",
        "stream",
        "-c",
        "fast",
        "--no-sync");
    append(replica.resolve("postgresql.conf"), "port = %d\n".formatted(replicaPort));
    startReplica();
  }

  String primaryUrl() {
    return "postgresql://postgres@127.0.0.1:" + primaryPort + "/" + DATABASE;
  }

  String replicaUrl() {
    return "postgresql://postgres@127.0.0.1:" + replicaPort + "/" + DATABASE;
  }

  void onPrimary(String sql) {
    execute(primaryPort, DATABASE, sql);
  }

  long countOnReplica(String sql) {
    return Long.parseLong(query(replicaPort, sql));
  }

  /**
   * Waits until the replica has replayed everything written on the primary so far (its WAL insert
   * position, less a page header no record has reached yet: replay never ends inside one).
   */
  void awaitCaughtUp() {
    String written =
        query(
            primaryPort,
            """
            SELECT CASE WHEN offset_in_page IN (24, 40) THEN lsn - offset_in_page ELSE lsn END
            FROM (SELECT lsn, (lsn - '0/0'::pg_lsn) % current_setting('wal_block_size')::int
                    AS offset_in_page
                  FROM pg_current_wal_insert_lsn() AS lsn) AS position
            """);
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                "t"
                    .equals(
                        query(
                            replicaPort,
                            "SELECT pg_last_wal_replay_lsn() >= '" + written + "'::pg_lsn")));
  }

  /** Stops replaying: the replica keeps answering, from the data it had. */
  void pauseReplay() {
    query(replicaPort, "SELECT pg_wal_replay_pause()");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "paused".equals(query(replicaPort, "SELECT pg_get_wal_replay_pause_state()")));
  }

  void resumeReplay() {
    query(replicaPort, "SELECT pg_wal_replay_resume()");
  }

  boolean replicaRunning() {
    return replicaRunning;
  }

  void stopReplica() {
    pgCtl("stop", dir.resolve("replica"), "-m", "immediate");
    replicaRunning = false;
  }

  /**
   * Freezes the replica's postmaster and every backend (SIGSTOP): connections stay open and nothing
   * answers, as with a hung host or a network partition, not a refused connection.
   */
  void freezeReplica() {
    signalReplica("-STOP");
  }

  void thawReplica() {
    signalReplica("-CONT");
  }

  private void signalReplica(String signal) {
    try {
      long pid =
          Long.parseLong(
              Files.readAllLines(dir.resolve("replica").resolve("postmaster.pid")).get(0).strip());
      List<String> command = new ArrayList<>(List.of("kill", signal, Long.toString(pid)));
      ProcessHandle.of(pid)
          .orElseThrow()
          .descendants()
          .forEach(p -> command.add(Long.toString(p.pid())));
      run(command.toArray(String[]::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void startReplica() {
    pgCtl("start", dir.resolve("replica"));
    replicaRunning = true;
  }

  @Override
  public void close() {
    for (String cluster : List.of("replica", "primary")) {
      if (Files.exists(dir.resolve(cluster).resolve("postmaster.pid"))) {
        try {
          pgCtl("stop", dir.resolve(cluster), "-m", "immediate");
        } catch (RuntimeException e) {
          // already stopped: nothing to do
        }
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void pgCtl(String action, Path cluster, String... more) {
    List<String> command =
        new ArrayList<>(
            List.of(BIN.resolve("pg_ctl").toString(), action, "-D", cluster.toString(), "-w"));
    if (action.equals("start")) {
      command.addAll(List.of("-l", dir.resolve(cluster.getFileName() + ".log").toString()));
    }
    command.addAll(List.of(more));
    run(command.toArray(String[]::new));
  }

  private void run(String... command) {
    List<String> full = new ArrayList<>();
    if (asRoot()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(List.of(command));
    try {
      Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (process.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", full) + " failed:\n" + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean asRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(file, Files.readString(file) + text);
  }

  private static void execute(int port, String database, String sql) {
    try (Connection c = connect(port, database);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private static String query(int port, String sql) {
    try (Connection c = connect(port, DATABASE);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private static Connection connect(int port, String database) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", "");
  }
}
