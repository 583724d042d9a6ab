package dev.ttsapi.worker;

import io.lettuce.core.RedisException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * Whether PostgreSQL, Redis or the audio store is failing this worker right now. While they are,
 * the dispatcher waits before each read, longer each time up to a bound, instead of pulling job
 * after job only to fail them; an outage is logged once when it starts and once when it ends,
 * however many jobs meet it.
 */
@Component
class StoreOutage {

  private static final Logger log = LoggerFactory.getLogger(StoreOutage.class);
  private static final Duration FIRST_PAUSE = Duration.ofMillis(200);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

  private final Clock clock;
  private volatile Instant since;
  private volatile Duration pause = FIRST_PAUSE;

  StoreOutage(Clock clock) {
    this.clock = clock;
  }

  /**
   * Whether {@code e} means a store is unreachable, as opposed to a fault of the job itself. A
   * statement PostgreSQL refuses for this job's data (a constraint, a trigger, bad data) is the
   * job's fault: treated as an outage, it would be put back and tried again at once, forever,
   * without ever counting an attempt. The audio store reports an object store that does not answer,
   * fails on its side (5xx) or throttles as an {@link
   * dev.ttsapi.audio.AudioStoreUnavailableException}, a {@link DataAccessResourceFailureException};
   * an object store refusing our request (another 4xx) is an IOException, the job's fault.
   */
  static boolean isStoreFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DataAccessResourceFailureException
          || t instanceof TransientDataAccessException
          || t instanceof RecoverableDataAccessException
          || t instanceof TransactionException
          || t instanceof RedisException) {
        return true;
      }
      if (t instanceof SQLException sql && !refusedByTheDatabase(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether PostgreSQL answered and refused the statement itself: any SQLSTATE but connection
   * exceptions (08), insufficient resources (53), operator intervention such as a shutdown or a
   * statement timeout (57), system errors (58), and none at all (the driver's own I/O errors).
   */
  private static boolean refusedByTheDatabase(String sqlState) {
    if (sqlState == null || sqlState.length() < 2) {
      return false;
    }
    return switch (sqlState.substring(0, 2)) {
      case "08", "53", "57", "58" -> false;
      default -> true;
    };
  }

  synchronized void failed(Throwable e) {
    if (since == null) {
      since = clock.instant();
      log.warn(
          "A store is unreachable, workers pause between jobs until it is back: {}", e.toString());
    } else {
      pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
    }
  }

  void recovered() {
    if (since == null) {
      return; // the common case, without taking the lock
    }
    synchronized (this) {
      Instant started = since;
      if (started == null) {
        return;
      }
      since = null;
      pause = FIRST_PAUSE;
      log.info(
          "Stores are reachable again after {} s; workers take jobs at full speed",
          Duration.between(started, clock.instant()).toSeconds());
    }
  }

  /** Waits a while if an outage is going on; returns at once otherwise. */
  void pauseIfOngoing() throws InterruptedException {
    if (since != null) {
      Thread.sleep(pause);
    }
  }
}
