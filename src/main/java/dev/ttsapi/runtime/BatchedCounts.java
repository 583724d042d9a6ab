package dev.ttsapi.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;

/**
 * Counters added up in memory and written to PostgreSQL in one statement per flush, instead of one
 * write per event that would make each request wait for a commit: every {@code flushEvery}, when
 * {@code maxKeys} keys are waiting, and at shutdown (after the timer stops). What a failed write
 * held is put back and goes with the next one. A node killed with -9 loses at most one interval's
 * counts, so this is only for statistics, never for anything a request depends on.
 *
 * <p>Each key has {@code width} counters; {@link #write} gets their sums.
 *
 * @param <K> what is counted per key (a content key, a user's day)
 */
public abstract class BatchedCounts<K> extends PeriodicTasks {

  private static final Logger log = LoggerFactory.getLogger(BatchedCounts.class);

  private final String what;
  private final int width;
  private final Duration flushEvery;
  private final int maxKeys;
  private volatile Map<K, LongAdder[]> pending = new ConcurrentHashMap<>();

  /**
   * @param what what the counts are, for the log line of a failed write
   */
  protected BatchedCounts(
      String what, int width, Duration flushEvery, int maxKeys, TaskScheduler scheduler) {
    super(scheduler);
    this.what = what;
    this.width = width;
    this.flushEvery = flushEvery;
    this.maxKeys = maxKeys;
  }

  /** Writes the summed counters of each key, in one statement. */
  protected abstract void write(Map<K, long[]> counts);

  /**
   * Adds {@code amounts} (one per counter) to {@code key}'s counters. An add racing a flush's swap
   * may land in the map being written and be lost from the statistic; it is never lost from what it
   * counts.
   */
  protected final void add(K key, long... amounts) {
    count(key, amounts);
    if (pending.size() >= maxKeys) {
      flushQuietly();
    }
  }

  private void count(K key, long[] amounts) {
    LongAdder[] counters = pending.computeIfAbsent(key, k -> newCounters());
    for (int i = 0; i < width; i++) {
      counters[i].add(amounts[i]);
    }
  }

  @Override
  protected final List<Task> tasks() {
    return List.of(new Task(this::flushQuietly, flushEvery));
  }

  /** Writes what is counted at shutdown too, after the timer has stopped. */
  @Override
  public synchronized void stop() {
    super.stop();
    flushQuietly();
  }

  /** Swaps the counters for empty ones and writes what they held; put back if the write fails. */
  public synchronized void flush() {
    Map<K, LongAdder[]> taken = pending;
    if (taken.isEmpty()) {
      return;
    }
    pending = new ConcurrentHashMap<>();
    Map<K, long[]> sums = new HashMap<>();
    taken.forEach((key, counters) -> sums.put(key, sum(counters)));
    try {
      write(sums);
    } catch (RuntimeException e) {
      sums.forEach(this::count);
      throw e;
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      log.warn("Could not write {}; kept for the next flush: {}", what, e.toString());
    }
  }

  private LongAdder[] newCounters() {
    LongAdder[] counters = new LongAdder[width];
    for (int i = 0; i < width; i++) {
      counters[i] = new LongAdder();
    }
    return counters;
  }

  private static long[] sum(LongAdder[] counters) {
    long[] sums = new long[counters.length];
    for (int i = 0; i < counters.length; i++) {
      sums[i] = counters[i].sum();
    }
    return sums;
  }
}
