package dev.ttsapi.observability;

import com.zaxxer.hikari.HikariDataSource;
import dev.ttsapi.backpressure.QueueDepths;
import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.VoiceCatalog;
import dev.ttsapi.runtime.Role;
import dev.ttsapi.runtime.Roles;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The seed's preloading, run once after start-up on a virtual thread: opens the database pool's
 * idle connections, checks the voices are loaded, runs one real synthesis per engine on a worker
 * node (engines load models and JIT their hot paths on first use), and primes the queue-depth cache
 * and the store checks. Meanwhile, on as many threads as there are cores, it runs the features' hot
 * paths ({@link WarmUpStep}s: an API node's submit, cache hit and status) again and again for
 * {@code tts.observability.warm-up-hot-paths}, so the JIT has compiled them when the first users
 * come; they leave nothing behind. Readiness stays down until it is done. An engine that fails its
 * warm-up is reported in {@code /health/detailed} and does not keep the node unready: its requests
 * fail on their own; neither does a step that fails.
 */
@Component
public class WarmUp {

  private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
  private static final String TEXT = "Ready.";

  private final DataSource dataSource;
  private final VoiceCatalog voices;
  private final QueueDepths depths;
  private final StoreProbe stores;
  private final boolean worker;
  private final List<WarmUpStep> steps;
  private final Duration hotPathTime;
  private final Map<String, String> engines = new ConcurrentHashMap<>();
  private final AtomicLong hotPathRuns = new AtomicLong();
  private volatile boolean done;

  WarmUp(
      DataSource dataSource,
      VoiceCatalog voices,
      QueueDepths depths,
      StoreProbe stores,
      Roles roles,
      ObjectProvider<WarmUpStep> steps,
      ObservabilityProperties properties) {
    this.worker = roles.runs(Role.WORKER);
    this.steps = steps.orderedStream().toList();
    this.hotPathTime = properties.warmUpHotPaths();
    this.dataSource = dataSource;
    this.voices = voices;
    this.depths = depths;
    this.stores = stores;
  }

  @EventListener(ApplicationReadyEvent.class)
  void start() {
    Thread.ofVirtual().name("warm-up").start(this::run);
  }

  void run() {
    long start = System.nanoTime();
    Thread hotPaths = null;
    try {
      openPool();
      hotPaths = Thread.ofVirtual().name("warm-up-hot-paths").start(this::runHotPaths);
      if (worker && voices.voices().isEmpty()) {
        log.warn("No voices are installed: every request will fail");
      }
      for (SpeechEngine engine : voices.engines()) {
        engines.put(engine.id(), worker ? synthesizeOnce(engine) : "loaded (no worker role)");
      }
      try {
        depths.read();
      } catch (RuntimeException e) {
        log.warn("Queue depths not read during warm-up: {}", e.toString());
      }
      stores.checkNow();
      hotPaths.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      done = true;
      log.info(
          "Warm-up done in {} ms: engines {}", (System.nanoTime() - start) / 1_000_000, engines);
    }
  }

  /**
   * Runs every step round after round on as many virtual threads as there are cores (requests run
   * on virtual threads too) until the time is up; a step that throws is dropped, once, with a
   * warning.
   */
  private void runHotPaths() {
    if (steps.isEmpty() || hotPathTime.isZero() || hotPathTime.isNegative()) {
      return;
    }
    long start = System.nanoTime();
    long deadline = start + hotPathTime.toNanos();
    Set<WarmUpStep> failed = ConcurrentHashMap.newKeySet();
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < threads; t++) {
        executor.execute(
            () -> {
              while (System.nanoTime() < deadline && failed.size() < steps.size()) {
                for (WarmUpStep step : steps) {
                  if (failed.contains(step)) {
                    continue;
                  }
                  try {
                    step.runOnce();
                    hotPathRuns.incrementAndGet();
                  } catch (RuntimeException e) {
                    if (failed.add(step)) {
                      log.warn("Warm-up of {} stopped: {}", step.name(), e.toString());
                    }
                  }
                }
              }
            });
      }
    }
    log.info(
        "Hot paths warmed up in {} ms: {} runs of {}",
        (System.nanoTime() - start) / 1_000_000,
        hotPathRuns.get(),
        steps.stream().filter(s -> !failed.contains(s)).map(WarmUpStep::name).toList());
  }

  private void openPool() {
    int count =
        dataSource instanceof HikariDataSource hikari ? Math.max(1, hikari.getMinimumIdle()) : 1;
    List<Connection> open = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        open.add(dataSource.getConnection());
      }
    } catch (SQLException | RuntimeException e) {
      log.warn("Database pool not warmed up: {}", e.toString());
    } finally {
      for (Connection c : open) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // returning a connection to the pool does not fail in a way that matters here
        }
      }
    }
  }

  private static String synthesizeOnce(SpeechEngine engine) {
    if (engine.voices().isEmpty()) {
      return "no voices";
    }
    try {
      engine.synthesize(TEXT, engine.voices().getFirst(), SpeechSettings.NORMAL);
      return "ok";
    } catch (RuntimeException e) {
      log.warn("Engine {} failed its warm-up synthesis: {}", engine.id(), e.toString());
      return "failed: " + e.getMessage();
    }
  }

  public boolean done() {
    return done;
  }

  /** How many times the hot paths ({@link WarmUpStep}s) ran and finished, all steps together. */
  public long hotPathRuns() {
    return hotPathRuns.get();
  }

  /** Each engine's warm-up result: {@code ok}, {@code failed: …} or {@code no voices}. */
  public Map<String, String> engines() {
    return Map.copyOf(engines);
  }
}
