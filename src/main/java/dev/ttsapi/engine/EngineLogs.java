package dev.ttsapi.engine;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps what speech libraries log about a client's text out of the log. MaryTTS logs an ERROR
 * quoting every token it has no pronunciation for (one job of 2,500 Chinese characters wrote 2,492
 * such lines): text a client sent must not fill, or leak into, the service's log at ERROR.
 *
 * <p>An engine names the loggers of its library ({@link #holdBack}); the caller that synthesizes a
 * job's chunks opens a {@link Tally} for the job and wraps each engine call in {@link #during}.
 * While that runs on a thread, events at WARN and above from those loggers are not logged but
 * counted, by logger and level, in the job's tally; the caller then logs one line for the job with
 * the counts and no text. Events outside such a call (start-up, a library's own trouble) and below
 * WARN are left to the usual logging levels.
 *
 * <p>Done as a Logback {@link TurboFilter}: it decides before a message is formatted or reaches any
 * appender, and needs no logging configuration file. Spring Boot resets the logger context when
 * logging is initialized again (each application context in a test JVM does), dropping the filter;
 * {@link #during} puts it back whenever it is missing. With another SLF4J backend the messages are
 * logged as before.
 */
public final class EngineLogs {

  private static final Set<String> HELD_BACK = ConcurrentHashMap.newKeySet();
  private static final ThreadLocal<Tally> CURRENT = new ThreadLocal<>();
  private static final HoldBack FILTER = new HoldBack();

  private EngineLogs() {}

  /**
   * Holds back, during synthesis, what the loggers named {@code prefix} or under it ({@code
   * marytts} covers {@code marytts.JPhonemiser}) log at WARN and above.
   */
  public static void holdBack(String prefix) {
    HELD_BACK.add(prefix);
  }

  /** Until closed, what engines log on this thread is held back and counted in {@code tally}. */
  public static Scope during(Tally tally) {
    installed();
    Tally outer = CURRENT.get();
    CURRENT.set(tally);
    return () -> {
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    };
  }

  /** A {@link #during} call; closing it ends the holding back on this thread. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /** What was held back for one job, counted by logger and level; safe to add to from threads. */
  public static final class Tally {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void add(String logger, Level level) {
      counts.computeIfAbsent(level + " " + logger, k -> new LongAdder()).increment();
    }

    public boolean isEmpty() {
      return counts.isEmpty();
    }

    /** How many messages were held back. */
    public long total() {
      return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** The counts, as {@code 2492 ERROR marytts.JPhonemiser, 1 WARN marytts.Synthesis}. */
    public String summary() {
      return new TreeMap<>(counts)
          .entrySet().stream()
              .map(e -> e.getValue().sum() + " " + e.getKey())
              .collect(Collectors.joining(", "));
    }
  }

  private static void installed() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    if (context.getTurboFilterList().contains(FILTER)) {
      return;
    }
    synchronized (EngineLogs.class) {
      if (!context.getTurboFilterList().contains(FILTER)) {
        FILTER.start();
        context.addTurboFilter(FILTER);
      }
    }
  }

  /** Consulted on every logging call of the process: the common case is one thread-local read. */
  private static final class HoldBack extends TurboFilter {

    @Override
    public FilterReply decide(
        Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
      Tally tally = CURRENT.get();
      // Without a message this is an is-enabled check, left to the levels: the log4j bridge asks
      // them to find a logger's level, and a message that follows comes here on its own.
      if (tally == null
          || format == null
          || !level.isGreaterOrEqual(Level.WARN)
          || !heldBack(logger.getName())) {
        return FilterReply.NEUTRAL;
      }
      tally.add(logger.getName(), level);
      return FilterReply.DENY;
    }

    private static boolean heldBack(String name) {
      for (String prefix : HELD_BACK) {
        if (name.startsWith(prefix)
            && (name.length() == prefix.length() || name.charAt(prefix.length()) == '.')) {
          return true;
        }
      }
      return false;
    }
  }
}
