package dev.ttsapi.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ttsapi.stores.DatabaseEndpoint;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One read replica: its connection pool and what was last learnt of it — whether it answers and how
 * far it has replayed the primary's write-ahead log.
 */
final class Replica implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Replica.class);

  /** The last check: {@code replayed} is a WAL position in bytes, -1 when unknown. */
  record State(boolean up, long replayed, long checkedAtNanos, String error) {
    static final State UNKNOWN = new State(false, -1, Long.MIN_VALUE, "not checked yet");
  }

  private final String name;
  private final HikariDataSource pool;
  private final JdbcClient jdbc;
  private final AtomicBoolean checking = new AtomicBoolean();
  private volatile State state = State.UNKNOWN;

  private Replica(String name, HikariDataSource pool) {
    this.name = name;
    this.pool = pool;
    this.jdbc = JdbcClient.create(pool);
  }

  /**
   * A pool for {@code endpoint} set up like the primary's (size, timeouts, driver properties such
   * as PgBouncer's {@code prepareThreshold=0} in the URL), except that it may start while the
   * replica is down, gives up on a connection after {@code connectionTimeout} and on an answer
   * after {@code readTimeout} (the driver's socket timeout, in whole seconds).
   */
  static Replica open(
      int number,
      DatabaseEndpoint endpoint,
      HikariDataSource primary,
      Duration connectionTimeout,
      Duration readTimeout) {
    HikariConfig config = new HikariConfig();
    primary.copyStateTo(config);
    config.setPoolName(primary.getPoolName() + "-replica-" + number);
    // In the URL, not the data source properties: copyStateTo shares those with the primary's
    // pool, which must keep no socket timeout (a long statement there is legitimate).
    String url = endpoint.jdbcUrl();
    config.setJdbcUrl(
        url
            + (url.contains("?") ? "&" : "?")
            + "socketTimeout="
            + Math.max(1, readTimeout.toSeconds()));
    config.setUsername(endpoint.username());
    config.setPassword(endpoint.password());
    config.setConnectionTimeout(connectionTimeout.toMillis());
    config.setInitializationFailTimeout(-1);
    return new Replica(endpoint.toString(), new HikariDataSource(config));
  }

  String name() {
    return name;
  }

  JdbcClient jdbc() {
    return jdbc;
  }

  State state() {
    return state;
  }

  /** Reads the replay position now; a replica that does not answer, or is no standby, is down. */
  void check() {
    State now;
    try {
      now =
          jdbc.sql(
                  "SELECT pg_is_in_recovery() AS standby,"
                      + " pg_last_wal_replay_lsn() - '0/0'::pg_lsn AS replayed")
              .query(
                  (rs, row) -> {
                    boolean standby = rs.getBoolean("standby");
                    long replayed = rs.getLong("replayed");
                    boolean known = standby && !rs.wasNull();
                    return known
                        ? new State(true, replayed, System.nanoTime(), null)
                        : new State(
                            false,
                            -1,
                            System.nanoTime(),
                            "not a standby (promoted?): it no longer follows the primary");
                  })
              .single();
    } catch (RuntimeException e) {
      now = new State(false, -1, System.nanoTime(), e.getMessage());
    }
    change(now);
  }

  /**
   * Checks again unless another thread is already doing so or the last check is younger than {@code
   * minAgeNanos}; true if this call checked.
   */
  boolean checkIfOlderThan(long minAgeNanos) {
    State last = state;
    if (!last.up() && last != State.UNKNOWN) {
      return false; // a down replica is retried by the periodic check, never on a user's read
    }
    if (System.nanoTime() - last.checkedAtNanos() < minAgeNanos
        || !checking.compareAndSet(false, true)) {
      return false;
    }
    try {
      check();
      return true;
    } finally {
      checking.set(false);
    }
  }

  /** A read on the replica failed for want of a connection: down until a check says otherwise. */
  void failed(RuntimeException e) {
    change(new State(false, -1, System.nanoTime(), e.getMessage()));
  }

  private synchronized void change(State now) {
    State before = state;
    if (before.up() && !now.up()) {
      log.warn(
          "PostgreSQL replica {} is down; its reads go to the primary ({})", name, now.error());
    } else if (!before.up() && now.up()) {
      log.info("PostgreSQL replica {} answers; reads go to it", name);
    } else if (before == State.UNKNOWN && !now.up()) {
      log.warn(
          "PostgreSQL replica {} is not usable; its reads go to the primary ({})",
          name,
          now.error());
    }
    state = now;
  }

  @Override
  public void close() {
    pool.close();
  }
}
