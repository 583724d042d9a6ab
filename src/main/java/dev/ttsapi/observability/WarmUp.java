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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The seed's preloading, run once after start-up on a virtual thread: opens the database pool's
 * idle connections, checks the voices are loaded, runs one real synthesis per engine on a worker
 * node (engines load models and JIT their hot paths on first use), and primes the queue-depth cache
 * and the store checks. Readiness stays down until it is done. An engine that fails its warm-up is
 * reported in {@code /health/detailed} and does not keep the node unready: its requests fail on
 * their own.
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
  private final Map<String, String> engines = new ConcurrentHashMap<>();
  private volatile boolean done;

  WarmUp(
      DataSource dataSource,
      VoiceCatalog voices,
      QueueDepths depths,
      StoreProbe stores,
      Roles roles) {
    this.worker = roles.runs(Role.WORKER);
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
    try {
      openPool();
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
    } finally {
      done = true;
      log.info(
          "Warm-up done in {} ms: engines {}", (System.nanoTime() - start) / 1_000_000, engines);
    }
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

  /** Each engine's warm-up result: {@code ok}, {@code failed: …} or {@code no voices}. */
  public Map<String, String> engines() {
    return Map.copyOf(engines);
  }
}
