package dev.ttsapi.support;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the PostgreSQL driver sends, message by message, from its own log (pgjdbc writes each
 * frontend message as {@code " FE=> Parse(...)"}, {@code " FE=> Sync"} at FINEST): what a test
 * learns from it is what travelled over the wire, which counting statements cannot show (a JDBC
 * batch and its commit are several round trips; a statement is one). A round trip of the extended
 * protocol ends with a Sync: the driver then waits for the server (a simple query other than the
 * BEGIN it sends ahead of a statement is one of its own). Messages are kept per thread, so a test
 * can tell the request's own round trips from background work.
 */
public final class PostgresWire implements AutoCloseable {

  private static final Logger DRIVER = Logger.getLogger("org.postgresql.core.v3.QueryExecutorImpl");

  /** One round trip: the messages sent before the driver waited, on one thread. */
  public record RoundTrip(String thread, List<String> messages) {

    /**
     * A connection check (an empty query, as the pool's validation sends), not the caller's SQL.
     */
    boolean validation() {
      return messages.stream().anyMatch(m -> m.contains("query=\"\""))
          && messages.stream().noneMatch(m -> m.contains("query=\"") && !m.contains("query=\"\""));
    }
  }

  private final List<RoundTrip> roundTrips = new CopyOnWriteArrayList<>();
  private final Map<Thread, List<String>> open = new ConcurrentHashMap<>();
  private final Level level;
  private final Handler handler;

  public PostgresWire() {
    level = DRIVER.getLevel();
    handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            String message =
                record.getParameters() == null
                    ? record.getMessage()
                    : MessageFormat.format(record.getMessage(), record.getParameters());
            if (message == null || !message.startsWith(" FE=> ")) {
              return;
            }
            Thread thread = Thread.currentThread();
            List<String> batch = open.computeIfAbsent(thread, t -> new ArrayList<>());
            batch.add(message.substring(6));
            // the BEGIN the driver sends ahead of a statement travels with it; any other simple
            // query (the pool's check of a connection) is answered before anything follows
            if (message.startsWith(" FE=> Sync")
                || (message.startsWith(" FE=> SimpleQuery")
                    && !message.contains("query=\"BEGIN\""))) {
              roundTrips.add(new RoundTrip(thread.getName(), List.copyOf(batch)));
              open.remove(thread);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    handler.setLevel(Level.ALL);
    DRIVER.addHandler(handler);
    DRIVER.setLevel(Level.FINEST);
  }

  /**
   * The round trips made on threads whose name starts with {@code threadPrefix}, connection checks
   * left out (the pool checks a connection idle for half a second: a test's pause, not a submit's
   * cost under load).
   */
  public List<RoundTrip> roundTrips(String threadPrefix) {
    return roundTrips.stream()
        .filter(r -> r.thread().startsWith(threadPrefix) && !r.validation())
        .toList();
  }

  /** Every round trip seen, on any thread. */
  public List<RoundTrip> all() {
    return List.copyOf(roundTrips);
  }

  @Override
  public void close() {
    DRIVER.setLevel(level);
    DRIVER.removeHandler(handler);
  }
}
