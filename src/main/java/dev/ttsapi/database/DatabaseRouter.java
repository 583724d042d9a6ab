package dev.ttsapi.database;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Sends reads that may go to a read replica ({@code DATABASE_REPLICA_URLS}) there, and everything
 * else to the primary, without ever showing a user less than they have written: each user's last
 * write is remembered as a position in the primary's write-ahead log ({@link #wrote}), and their
 * reads go only to a replica that has replayed that far ({@code pg_last_wal_replay_lsn()}), else to
 * the primary. Other users' reads keep using the replica meanwhile. A replica that is down, or
 * further behind than {@code tts.read-routing.remember-writes-for}, is skipped; a read that fails
 * on a replica for want of a connection is made again on the primary.
 *
 * <p>With no replica configured every read goes to the primary and {@link #wrote} does nothing.
 */
public final class DatabaseRouter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DatabaseRouter.class);

  /** A user's read asks a lagging replica again at most this often, whoever's read it is. */
  private static final long RECHECK_NANOS = Duration.ofMillis(5).toNanos();

  /** What one replica looks like now, for health reports. */
  public record ReplicaStatus(String name, boolean up, Long lagBytes, String error) {}

  private final JdbcClient primary;
  private final List<Replica> replicas;
  private final LastWrites lastWrites;
  private final Duration window;
  private final AtomicInteger next = new AtomicInteger();

  /** (nanoTime, primary WAL position) samples, oldest first, spanning about {@link #window}. */
  private final ArrayDeque<long[]> samples = new ArrayDeque<>();

  /**
   * Every reader needs at least this position: the primary's about {@code window} ago (or when this
   * node first looked, if younger), so a replica that far behind serves nobody. Unknown until the
   * first check.
   */
  private volatile long horizon = LastWrites.UNKNOWN;

  private volatile long primaryPosition = -1;

  DatabaseRouter(
      JdbcClient primary, List<Replica> replicas, LastWrites lastWrites, Duration window) {
    this.primary = primary;
    this.replicas = List.copyOf(replicas);
    this.lastWrites = lastWrites;
    this.window = window;
  }

  /** Whether any replica is configured. */
  public boolean replicated() {
    return !replicas.isEmpty();
  }

  /**
   * Runs a read of {@code reader}'s data on a replica that has everything {@code reader} wrote, or
   * else on the primary. Inside a transaction it always runs on the primary. {@code reader} null: a
   * read of nobody's own writes (an admin's overview).
   */
  public <T> T read(UUID reader, Function<JdbcClient, T> query) {
    if (replicas.isEmpty() || TransactionSynchronizationManager.isActualTransactionActive()) {
      return query.apply(primary);
    }
    long needed = horizon;
    if (reader != null && needed != LastWrites.UNKNOWN) {
      needed = Math.max(needed, lastWrites.of(reader));
    }
    Replica replica = caughtUp(needed);
    if (replica == null) {
      return query.apply(primary);
    }
    try {
      return query.apply(replica.jdbc());
    } catch (DataAccessException e) {
      if (unavailable(e)) {
        replica.failed(e);
      } else if (!conflictsWithRecovery(e)) {
        throw e;
      }
      return query.apply(primary);
    }
  }

  /**
   * Remembers that these users have just written (call it after the commit; inside a transaction it
   * waits for the commit), so their next reads see it on whichever API node they land.
   */
  public void wrote(UUID... writers) {
    if (replicas.isEmpty()) {
      return;
    }
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              remember(writers);
            }
          });
    } else {
      remember(writers);
    }
  }

  private void remember(UUID... writers) {
    List<UUID> users = Arrays.stream(writers).filter(Objects::nonNull).distinct().toList();
    long position;
    try {
      position = currentPosition();
    } catch (RuntimeException e) {
      log.warn(
          "WAL position not read after a write ({}); those users read the primary", e.toString());
      users.forEach(lastWrites::rememberUnknown);
      return;
    }
    users.forEach(u -> lastWrites.remember(u, position));
  }

  /**
   * The primary's WAL position after everything committed so far. The insert position can sit just
   * past a page header that no record has reached yet; a replica's replay position never does, so
   * that header is taken off (records are 8-byte aligned, hence no record ends 24 or 40 bytes into
   * a page).
   */
  private long currentPosition() {
    return primary
        .sql(
            "SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn AS position,"
                + " current_setting('wal_block_size')::int AS block")
        .query(
            (rs, row) -> {
              long position = rs.getLong("position");
              long offset = position % rs.getInt("block");
              return offset == 24 || offset == 40 ? position - offset : position;
            })
        .single();
  }

  private Replica caughtUp(long needed) {
    if (needed == LastWrites.UNKNOWN) {
      return null;
    }
    int count = replicas.size();
    int first = Math.floorMod(next.getAndIncrement(), count);
    for (int i = 0; i < count; i++) {
      Replica replica = replicas.get((first + i) % count);
      if (serves(replica, needed)) {
        return replica;
      }
    }
    // None is known to be far enough: ask again (one thread at a time, not too often).
    for (int i = 0; i < count; i++) {
      Replica replica = replicas.get((first + i) % count);
      if (replica.checkIfOlderThan(RECHECK_NANOS) && serves(replica, needed)) {
        return replica;
      }
    }
    return null;
  }

  private static boolean serves(Replica replica, long needed) {
    Replica.State state = replica.state();
    return state.up() && state.replayed() >= needed;
  }

  /** Samples the primary's position and checks every replica: the periodic check. */
  public void check() {
    if (replicas.isEmpty()) {
      return;
    }
    try {
      sample(currentPosition());
    } catch (RuntimeException e) {
      log.debug("Primary WAL position not read: {}", e.toString());
    }
    replicas.forEach(Replica::check);
  }

  private synchronized void sample(long position) {
    long now = System.nanoTime();
    primaryPosition = position;
    samples.addLast(new long[] {now, position});
    long cutoff = now - window.toNanos();
    // Keep the newest sample older than the window (the horizon) and everything after it.
    while (samples.size() >= 2) {
      Iterator<long[]> it = samples.iterator();
      it.next();
      if (it.next()[0] <= cutoff) {
        samples.pollFirst();
      } else {
        break;
      }
    }
    horizon = samples.getFirst()[1];
  }

  /** Each replica as last checked, with how many bytes of WAL it is behind the primary. */
  public List<ReplicaStatus> replicas() {
    long primaryNow = primaryPosition;
    return replicas.stream()
        .map(
            r -> {
              Replica.State s = r.state();
              Long lag = s.up() && primaryNow >= 0 ? Math.max(0, primaryNow - s.replayed()) : null;
              return new ReplicaStatus(r.name(), s.up(), lag, s.up() ? null : s.error());
            })
        .toList();
  }

  private static boolean unavailable(DataAccessException e) {
    if (e instanceof DataAccessResourceFailureException
        || e instanceof TransientDataAccessResourceException) {
      return true;
    }
    String state = sqlState(e);
    return state != null
        && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53"));
  }

  /** A standby cancels a query whose rows replay is about to remove: the primary answers it. */
  private static boolean conflictsWithRecovery(DataAccessException e) {
    return "40001".equals(sqlState(e));
  }

  private static String sqlState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
    }
    return null;
  }

  @Override
  public void close() {
    replicas.forEach(Replica::close);
  }
}
