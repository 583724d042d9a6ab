package dev.ttsapi.observability;

import dev.ttsapi.observability.ObservabilityProperties.AccessLogMode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * The access log: one line per HTTP request on the logger {@code tts.access}. In {@code async} mode
 * (the default) the request thread only queues the line's fields; one writer thread formats and
 * writes them, with the request's id put back in the MDC, so the line looks as if written by the
 * request. The queue holds at most {@link #CAPACITY} lines; a line that finds it full is dropped
 * and counted ({@code tts_access_log_dropped_total}), never waited for.
 */
@Component
class AccessLog {

  static final int CAPACITY = 10_000;
  private static final Logger access = LoggerFactory.getLogger("tts.access");

  private record Line(String method, String uri, int status, long micros, String requestId) {}

  private final AccessLogMode mode;
  private final BlockingQueue<Line> lines = new ArrayBlockingQueue<>(CAPACITY);
  private final Counter dropped;
  private final Thread writer;
  private volatile boolean closed;

  AccessLog(ObservabilityProperties properties, MeterRegistry registry) {
    this.mode = properties.accessLog();
    this.dropped =
        Counter.builder("tts.access.log.dropped")
            .description("Access-log lines dropped because the writer's queue was full")
            .register(registry);
    Gauge.builder("tts.access.log.queued", lines, BlockingQueue::size)
        .description("Access-log lines waiting for the writer thread")
        .register(registry);
    this.writer =
        mode == AccessLogMode.ASYNC ? Thread.ofVirtual().name("access-log").start(this::run) : null;
  }

  /** Logs one finished request, as the mode says. */
  void log(String method, String uri, int status, long micros, String requestId) {
    if (mode == AccessLogMode.OFF || !access.isInfoEnabled()) {
      return;
    }
    Line line = new Line(method, uri, status, micros, requestId);
    if (mode == AccessLogMode.SYNC || closed) {
      write(line);
    } else if (!lines.offer(line)) {
      dropped.increment();
    }
  }

  private void run() {
    while (!closed || !lines.isEmpty()) {
      try {
        Line line = lines.poll(100, TimeUnit.MILLISECONDS);
        if (line != null) {
          MDC.put(RequestLogFilter.MDC_KEY, line.requestId());
          write(line);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        MDC.remove(RequestLogFilter.MDC_KEY);
      }
    }
  }

  private static void write(Line line) {
    access.info(
        "{} {} {} {} ms",
        line.method(),
        line.uri(),
        line.status(),
        String.format(Locale.ROOT, "%.1f", line.micros() / 1000.0));
  }

  /** Writes what is queued, then stops the writer; later lines are written on their own thread. */
  @PreDestroy
  void close() throws InterruptedException {
    closed = true;
    if (writer != null) {
      writer.join(5_000);
    }
  }
}
