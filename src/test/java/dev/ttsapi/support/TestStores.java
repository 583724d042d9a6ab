package dev.ttsapi.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Tests run against real PostgreSQL and Redis: the local services when they answer on their
 * standard ports (a dedicated database and Redis db, so nothing else is touched), embedded ones
 * under target/ otherwise.
 */
public final class TestStores {

  /** Two checkouts testing at once on one machine set these apart (-Dtts.test.database=…). */
  public static final String DATABASE = System.getProperty("tts.test.database", "tts_test");

  public static final int REDIS_DB = Integer.getInteger("tts.test.redis-db", 9);

  /**
   * The local Redis the tests use. A second checkout testing at the same time starts a Redis of its
   * own and names its port (-Dtts.test.redis-port=6390), because the process tests each take a
   * fixed Redis db.
   */
  public static final int REDIS_PORT = Integer.getInteger("tts.test.redis-port", 6379);

  /** A REDIS_URL that replaces the local test Redis for the contexts started while it is set. */
  public static final String REDIS_URL_PROPERTY = "tts.test.redis-url";

  private TestStores() {}

  public static void register(DynamicPropertyRegistry registry) {
    registry.add("tts.stores.data-dir", () -> "target/test-data");
    // An embedded PostgreSQL a test starts may lose its last commits in a crash: tests never
    // crash the machine, and fsync on every commit would slow the suite down.
    registry.add("tts.stores.embedded-durable", () -> "false");
    if (reachable(5432)) {
      if (FRESH_DATABASE.compareAndSet(false, true)) {
        recreateDatabase(DATABASE);
      }
      registry.add(
          "tts.stores.database-url", () -> "postgresql://postgres@127.0.0.1:5432/" + DATABASE);
    }
    // Read when the context starts, so a test class can point its context at a Redis of its own
    // (a Cluster, Sentinels) by setting it in @BeforeAll; -Dtts.test.redis-url=… runs any test
    // against another Redis.
    registry.add(
        "tts.stores.redis-url",
        () -> System.getProperty(REDIS_URL_PROPERTY, reachable(REDIS_PORT) ? redisUrl() : ""));
  }

  public static String redisUrl() {
    return redisUrl(REDIS_DB);
  }

  /** A db of the local test Redis, for a test that needs one of its own. */
  public static String redisUrl(int db) {
    return "redis://127.0.0.1:" + REDIS_PORT + "/" + db;
  }

  /**
   * Whether a local service answers on {@code port}. {@code -Dtts.test.embedded=true} pretends none
   * does, to run the suite the way a machine without PostgreSQL and Redis runs it.
   */
  public static boolean reachable(int port) {
    if (Boolean.getBoolean("tts.test.embedded")) {
      return false;
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The test database is made anew once per test run, so no earlier run's schema or data counts.
   */
  private static final java.util.concurrent.atomic.AtomicBoolean FRESH_DATABASE =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** Drops (closing its connections) and creates a database on the local PostgreSQL. */
  public static void recreateDatabase(String database) {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not make test database " + database + " anew", e);
    }
  }

  /** Creates a database of its own for a test on the local PostgreSQL. */
  public static void createDatabaseIfMissing(String database) {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
        Statement s = c.createStatement()) {
      var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
      if (!rs.next()) {
        s.execute("CREATE DATABASE " + database);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not prepare test database " + database, e);
    }
  }

  /** A TCP port nobody listens on right now, for a server a test starts itself. */
  public static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Empties one Redis database, for a test that uses a database of its own. */
  public static void flushRedis(String url) {
    io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(url);
    try (var redis = client.connect()) {
      redis.sync().flushdb();
    } finally {
      client.shutdown();
    }
  }

  /**
   * Skips the test unless PostgreSQL and Redis run on their usual local ports: tests that start
   * processes of their own can only share stores that run outside this JVM.
   */
  public static void assumeLocalStores() {
    Assumptions.assumeTrue(
        reachable(5432) && reachable(TestStores.REDIS_PORT),
        "needs PostgreSQL and Redis on localhost (.ci/run starts them)");
  }

  /** {@link #assumeLocalStores}, then a new empty {@code database} and an emptied Redis db. */
  public static void freshLocalStores(String database, String redisUrl) {
    assumeLocalStores();
    recreateDatabase(database);
    flushRedis(redisUrl);
  }
}
