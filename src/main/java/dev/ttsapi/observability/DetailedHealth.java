package dev.ttsapi.observability;

import com.zaxxer.hikari.HikariDataSource;
import dev.ttsapi.backpressure.QueueDepths;
import dev.ttsapi.database.DatabaseRouter;
import dev.ttsapi.engine.VoiceCatalog;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.redis.Redis;
import dev.ttsapi.stores.StoresProperties;
import dev.ttsapi.web.Admin;
import dev.ttsapi.web.AdminOnly;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /health/detailed} (admin key): the seed's system and application fields, plus queue
 * depth per priority, dead letters, engines and their warm-up, store round-trip times, and warnings
 * about a Redis that could lose queued jobs (eviction allowed, or no AOF). With read replicas, each
 * one's state and how many bytes of WAL it is behind the primary; one that is down is a warning
 * (its reads go to the primary).
 */
@RestController
class DetailedHealth {

  private final QueueDepths depths;
  private final StoreProbe stores;
  private final WarmUp warmUp;
  private final VoiceCatalog voices;
  private final DataSource dataSource;
  private final Redis redis;
  private final File dataDir;
  private final DatabaseRouter router;

  DetailedHealth(
      QueueDepths depths,
      StoreProbe stores,
      WarmUp warmUp,
      VoiceCatalog voices,
      DataSource dataSource,
      Redis redis,
      StoresProperties storesProperties,
      DatabaseRouter router) {
    this.depths = depths;
    this.stores = stores;
    this.warmUp = warmUp;
    this.voices = voices;
    this.dataSource = dataSource;
    this.redis = redis;
    this.dataDir = storesProperties.dataDir().toFile();
    this.router = router;
  }

  @AdminOnly
  @GetMapping("/health/detailed")
  Map<String, Object> detailed(Admin admin) {
    stores.checkNow();
    router.check();
    Map<String, Object> body = new LinkedHashMap<>();
    List<Redis.Master> masters = masters();
    List<String> warnings = redisWarnings(masters);
    warnings.addAll(replicaWarnings());
    boolean degraded = !warnings.isEmpty() || !stores.redis().up();
    body.put("status", ready() ? (degraded ? "degraded" : "healthy") : "unhealthy");
    body.put("system", system());
    body.put("application", application());
    Map<String, Object> storesInfo = storesInfo();
    storesInfo.put("redis_mode", redis.cluster() ? "cluster" : "standalone");
    storesInfo.put("redis_masters", mastersInfo(masters));
    body.put("stores", storesInfo);
    body.put("warnings", warnings);
    return body;
  }

  private List<Redis.Master> masters() {
    try {
      return redis.masters();
    } catch (RuntimeException e) {
      return List.of(new Redis.Master("?", false, 0, 0, "", false, null, e.getMessage()));
    }
  }

  private boolean ready() {
    return warmUp.done() && stores.canServe();
  }

  private Map<String, Object> system() {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Map<String, Object> system = new LinkedHashMap<>();
    double cpu = os.getCpuLoad();
    system.put("cpu_percent", cpu < 0 ? null : round(cpu * 100));
    long total = os.getTotalMemorySize();
    system.put("memory_percent", round(100.0 * (total - os.getFreeMemorySize()) / total));
    File disk = dataDir.exists() ? dataDir : new File(".").getAbsoluteFile();
    long diskTotal = disk.getTotalSpace();
    system.put(
        "disk_percent",
        diskTotal == 0 ? null : round(100.0 * (diskTotal - disk.getUsableSpace()) / diskTotal));
    var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    system.put("heap_percent", round(100.0 * heap.getUsed() / Math.max(1, heap.getMax())));
    return system;
  }

  private Map<String, Object> application() {
    Map<String, Object> app = new LinkedHashMap<>();
    QueueDepths.Snapshot snapshot = depths.current();
    app.put("queue_length", snapshot.total());
    Map<String, Long> byPriority = new LinkedHashMap<>();
    for (Priority p : Priority.values()) {
      byPriority.put(p.wireName(), snapshot.depths().get(p));
    }
    app.put("queue_length_by_priority", byPriority);
    // Of those, the jobs waiting outside the streams because their user has the per-user cap's
    // worth in (tts.queue.per-user-max-jobs).
    app.put("queue_held", snapshot.heldTotal());
    Map<String, Long> heldByPriority = new LinkedHashMap<>();
    for (Priority p : Priority.values()) {
      heldByPriority.put(p.wireName(), snapshot.held().get(p));
    }
    app.put("queue_held_by_priority", heldByPriority);
    app.put("dead_letters", snapshot.deadLetters());
    app.put(
        "active_db_connections",
        dataSource instanceof HikariDataSource hikari && hikari.getHikariPoolMXBean() != null
            ? hikari.getHikariPoolMXBean().getActiveConnections()
            : null);
    app.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    app.put("warm_up", warmUp.done() ? "done" : "running");
    app.put("engines", warmUp.engines());
    app.put("engines_loaded", voices.engines().size());
    app.put("voices_loaded", voices.voices().size());
    return app;
  }

  private Map<String, Object> storesInfo() {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("postgresql", check(stores.postgres()));
    info.put("redis", check(stores.redis()));
    info.put("audio_store", check(stores.audio()));
    if (router.replicated()) {
      List<Map<String, Object>> replicas = new ArrayList<>();
      for (DatabaseRouter.ReplicaStatus replica : router.replicas()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", replica.name());
        m.put("status", replica.up() ? "up" : "down");
        m.put("lag_bytes", replica.lagBytes());
        if (replica.error() != null) {
          m.put("error", replica.error());
        }
        replicas.add(m);
      }
      info.put("postgresql_replicas", replicas);
    }
    return info;
  }

  private List<String> replicaWarnings() {
    return router.replicas().stream()
        .filter(r -> !r.up())
        .map(
            r ->
                "PostgreSQL replica "
                    + r.name()
                    + " is not usable ("
                    + r.error()
                    + "): its reads go to the primary")
        .toList();
  }

  private static Map<String, Object> check(StoreProbe.Check check) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", check.up() ? "up" : "down");
    m.put("round_trip_ms", check.roundTrip() == null ? null : millis(check.roundTrip()));
    if (check.error() != null) {
      m.put("error", check.error());
    }
    return m;
  }

  /**
   * Queued jobs live only in Redis until done: eviction or a restart without AOF loses them. Read
   * from every master (on a Cluster each holds a share of the keys), with INFO only, which managed
   * Redis services allow where CONFIG GET is often refused.
   */
  private List<String> redisWarnings(List<Redis.Master> masters) {
    List<String> warnings = new ArrayList<>();
    for (Redis.Master master : masters) {
      String which = masters.size() > 1 ? "Redis master " + master.address() : "Redis";
      if (!master.up()) {
        warnings.add(which + " could not be read: " + master.error());
        continue;
      }
      if (!"noeviction".equals(master.maxMemoryPolicy())) {
        warnings.add(
            which
                + " maxmemory-policy is "
                + master.maxMemoryPolicy()
                + ": under memory pressure it may evict queued jobs; set noeviction");
      }
      if (!master.appendOnly()) {
        warnings.add(
            which
                + " appendonly is off: a restart loses queued jobs until the sweeper re-enqueues"
                + " them; set appendonly yes");
      }
    }
    return warnings;
  }

  /** Each master's memory, as INFO tells it. */
  private static List<Map<String, Object>> mastersInfo(List<Redis.Master> masters) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Redis.Master master : masters) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("address", master.address());
      m.put("status", master.up() ? "up" : "down");
      if (master.up()) {
        m.put("used_memory_bytes", master.usedMemoryBytes());
        m.put("maxmemory_bytes", master.maxMemoryBytes());
        m.put("maxmemory_policy", master.maxMemoryPolicy());
        m.put("appendonly", master.appendOnly());
      } else {
        m.put("error", master.error());
      }
      list.add(m);
    }
    return list;
  }

  private static double millis(Duration d) {
    return round(d.toNanos() / 1e6);
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
