package dev.ttsapi.request;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: concurrent callers hand their item to one writer thread, which writes every item
 * that arrived while it wrote the previous group (at most {@code rows}; with {@code wait} &gt; 0 it
 * also holds a group open that long for more) in one go, and answers each caller through its own
 * future. A caller returns only when the writer has answered it, so "answered" still means
 * "written".
 *
 * <p>The writer decides each item's outcome: it must complete every future of the group it is given
 * (at once or later, e.g. when a Redis answer comes), with a value or with the exception that
 * caller should see. A writer that throws fails the whole group with that exception.
 *
 * <p>Bounded: at most {@code pending} items wait; a caller past that waits for room. Metrics, named
 * after {@code meters}: the items waiting ({@code <meters>.pending}, e.g. {@code
 * tts.requests.group.pending}) and the size of each group written ({@code <meters>.size}).
 */
final class GroupCommit<T, R> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

  /** An item and the answer its caller waits for. */
  record Pending<T, R>(T item, CompletableFuture<R> answer) {}

  /** Writes a group; completes every answer of it. */
  @FunctionalInterface
  interface Writer<T, R> {
    void write(List<Pending<T, R>> group);
  }

  private final BlockingQueue<Pending<T, R>> waiting;
  private final Writer<T, R> writer;
  private final int rows;
  private final long waitNanos;
  private final DistributionSummary sizes;
  private final Thread thread;
  private volatile boolean closed;

  GroupCommit(
      String name,
      String meters,
      String what,
      int rows,
      Duration wait,
      int pending,
      Writer<T, R> writer,
      MeterRegistry registry) {
    this.rows = rows;
    this.waitNanos = wait.toNanos();
    this.writer = writer;
    this.waiting = new ArrayBlockingQueue<>(pending);
    Gauge.builder(meters + ".pending", waiting, BlockingQueue::size)
        .description(what + " waiting for the group writer")
        .register(registry);
    this.sizes =
        DistributionSummary.builder(meters + ".size")
            .description(what + " written together in one group (one commit)")
            .register(registry);
    this.thread = Thread.ofVirtual().name(name).start(this::run);
  }

  /**
   * Hands the item to the writer and waits for its answer; the writer's exception for this item is
   * thrown as it is.
   */
  R submit(T item) {
    Pending<T, R> pending = new Pending<>(item, new CompletableFuture<>());
    if (closed) {
      writeNow(List.of(pending));
    } else {
      try {
        waiting.put(pending);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting to be written", e);
      }
      // closed meanwhile and the writer already gone: nobody else will take it
      if (closed && !thread.isAlive() && waiting.remove(pending)) {
        writeNow(List.of(pending));
      }
    }
    try {
      return pending.answer().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  private void run() {
    List<Pending<T, R>> group = new ArrayList<>(rows);
    while (!closed || !waiting.isEmpty()) {
      try {
        Pending<T, R> first = waiting.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        waiting.drainTo(group, rows - 1);
        long deadline = System.nanoTime() + waitNanos;
        while (waitNanos > 0 && group.size() < rows) {
          long left = deadline - System.nanoTime();
          Pending<T, R> next = left > 0 ? waiting.poll(left, TimeUnit.NANOSECONDS) : null;
          if (next == null) {
            break;
          }
          group.add(next);
          waiting.drainTo(group, rows - group.size());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closed = true;
      }
      if (!group.isEmpty()) {
        sizes.record(group.size());
        writeNow(group);
        group = new ArrayList<>(rows);
      }
    }
  }

  private void writeNow(List<Pending<T, R>> group) {
    try {
      writer.write(group);
    } catch (RuntimeException | Error e) {
      log.warn("A group of {} was not written: {}", group.size(), e.toString());
      group.forEach(p -> p.answer().completeExceptionally(e));
    }
  }

  /** Writes what is waiting, then stops the writer; later submits are written one at a time. */
  @Override
  public void close() {
    closed = true; // the writer sees it within its 100 ms poll; interrupting could cut a write
    try {
      thread.join(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
