package dev.ttsapi.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Redis Cluster made by a test: {@code redis-server --cluster-enabled yes} on consecutive
 * ports, joined by {@code redis-cli --cluster create … --cluster-replicas r --cluster-yes}, data
 * under {@code target/redis-cluster/<port>}. Each node is a child process of the test JVM, so a
 * test can kill a master ({@link #kill}) and watch its replica take over. A short node timeout (2
 * s) makes a failover take seconds, not the default's fifteen.
 *
 * <p>Ports must be in the caller's own range (they are fixed so {@code redis-cli} and the nodes'
 * gossip agree); a node left on one of them by a crashed earlier run is shut down first.
 */
public final class RedisClusterServers implements AutoCloseable {

  private static final Duration START = Duration.ofSeconds(60);

  private final Map<Integer, Process> nodes = new LinkedHashMap<>();
  private final Path dir;

  private RedisClusterServers(Path dir) {
    this.dir = dir;
  }

  /** Skips the test unless redis-server and redis-cli are installed. */
  public static void assumeInstalled() {
    Assumptions.assumeTrue(
        onPath("redis-server") && onPath("redis-cli"), "redis-server and redis-cli not installed");
  }

  /**
   * Starts {@code masters × (1 + replicasPerMaster)} nodes on ports from {@code firstPort} and
   * makes them a cluster; returns once every slot is served.
   */
  public static RedisClusterServers start(int firstPort, int masters, int replicasPerMaster) {
    assumeInstalled();
    int count = masters * (1 + replicasPerMaster);
    RedisClusterServers cluster =
        new RedisClusterServers(Path.of("target", "redis-cluster").toAbsolutePath());
    try {
      for (int i = 0; i < count; i++) {
        cluster.startNode(firstPort + i);
      }
      List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      for (int port : cluster.nodes.keySet()) {
        create.add("127.0.0.1:" + port);
      }
      create.addAll(
          List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
      String out = run(create);
      if (!out.contains("All 16384 slots covered")) {
        throw new IllegalStateException("redis-cli --cluster create failed:\n" + out);
      }
      cluster.awaitHealthy();
      cluster.awaitReplicasInSync();
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * Waits until every replica has finished its first sync with its master. A replica that never
   * synced refuses to take over when its master dies ("disconnected from master for longer than
   * allowed"), so a test that kills a master right after the cluster was made would wait for a
   * failover that cannot come.
   */
  public void awaitReplicasInSync() {
    Instant until = Instant.now().plus(START);
    while (Instant.now().isBefore(until)) {
      boolean synced = true;
      for (var node : nodes.entrySet()) {
        if (!node.getValue().isAlive()) {
          continue;
        }
        String info = cli(node.getKey(), "info", "replication");
        if (info.contains("role:slave") && !info.contains("master_link_status:up")) {
          synced = false;
          break;
        }
      }
      if (synced) {
        return;
      }
      sleep(200);
    }
    throw new IllegalStateException("replicas did not finish their first sync");
  }

  private void startNode(int port) {
    Path nodeDir = dir.resolve(Integer.toString(port));
    try {
      if (Files.exists(nodeDir)) {
        run(List.of("redis-cli", "-p", Integer.toString(port), "shutdown", "nosave"));
        deleteTree(nodeDir);
      }
      Files.createDirectories(nodeDir);
      Process process =
          new ProcessBuilder(
                  "redis-server",
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--cluster-enabled",
                  "yes",
                  "--cluster-config-file",
                  "nodes.conf",
                  "--cluster-node-timeout",
                  "2000",
                  "--dir",
                  nodeDir.toString(),
                  "--save",
                  "",
                  "--appendonly",
                  "no",
                  "--logfile",
                  nodeDir.resolve("redis.log").toString())
              .redirectErrorStream(true)
              .redirectOutput(nodeDir.resolve("stdout.log").toFile())
              .start();
      nodes.put(port, process);
      awaitPing(port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code REDIS_URL} of this cluster, naming every node. */
  public String url() {
    return "redis-cluster://"
        + nodes.keySet().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  public List<Integer> ports() {
    return List.copyOf(nodes.keySet());
  }

  /** The port of the master that serves {@code key}'s slot now. */
  public int masterOf(String key) {
    int slot =
        Integer.parseInt(cli(anyLivePort(), "cluster", "keyslot", key).trim().split("\\s+")[0]);
    for (String line : cli(anyLivePort(), "cluster", "nodes").split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
        continue;
      }
      for (int i = 8; i < f.length; i++) {
        String[] range = f[i].split("-");
        int from = Integer.parseInt(range[0]);
        int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
        if (slot >= from && slot <= to) {
          return Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
        }
      }
    }
    throw new IllegalStateException("no master serves slot " + slot);
  }

  /** Ports of the masters that serve slots now. */
  public List<Integer> masters() {
    List<Integer> masters = new ArrayList<>();
    for (String line : cli(anyLivePort(), "cluster", "nodes").split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length >= 9 && f[2].contains("master") && !f[2].contains("fail")) {
        masters.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@'))));
      }
    }
    return masters;
  }

  /** Kills a node at once (SIGKILL): no goodbye to the cluster, as when its machine dies. */
  public void kill(int port) {
    Process process = nodes.get(port);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until the cluster has noticed that master {@code port} is gone and a replica has taken
   * its slots: {@code masters} masters again, none of them {@code port}, every slot served.
   */
  public void awaitFailover(int port, int masters) {
    Instant until = Instant.now().plus(START);
    while (Instant.now().isBefore(until)) {
      try {
        List<Integer> now = masters();
        if (!now.contains(port) && now.size() == masters) {
          awaitHealthy();
          return;
        }
      } catch (RuntimeException notYet) {
        // a node's answer in the middle of the change
      }
      sleep(200);
    }
    throw new IllegalStateException("no replica took over from master " + port);
  }

  /** Waits until every slot is served by a reachable master (after a failover, for one). */
  public void awaitHealthy() {
    Instant until = Instant.now().plus(START);
    String last = "";
    while (Instant.now().isBefore(until)) {
      boolean ok = true;
      for (var node : nodes.entrySet()) {
        if (!node.getValue().isAlive()) {
          continue;
        }
        last = cli(node.getKey(), "cluster", "info");
        if (!last.contains("cluster_state:ok") || !last.contains("cluster_slots_ok:16384")) {
          ok = false;
          break;
        }
      }
      if (ok) {
        return;
      }
      sleep(200);
    }
    throw new IllegalStateException("the cluster did not become healthy:\n" + last);
  }

  /** Runs redis-cli against one node and returns what it printed. */
  public String cli(int port, String... command) {
    List<String> args = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
    args.addAll(List.of(command));
    return run(args);
  }

  private int anyLivePort() {
    return nodes.entrySet().stream()
        .filter(e -> e.getValue().isAlive())
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow();
  }

  @Override
  public void close() {
    for (Process process : nodes.values()) {
      process.destroyForcibly();
    }
    for (Process process : nodes.values()) {
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (int port : nodes.keySet()) {
      deleteTree(dir.resolve(Integer.toString(port)));
    }
    nodes.clear();
  }

  private static void awaitPing(int port) {
    Instant until = Instant.now().plus(Duration.ofSeconds(20));
    while (Instant.now().isBefore(until)) {
      if (run(List.of("redis-cli", "-p", Integer.toString(port), "ping")).contains("PONG")) {
        return;
      }
      sleep(100);
    }
    throw new IllegalStateException("redis-server on port " + port + " did not start");
  }

  static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      p.waitFor(60, TimeUnit.SECONDS);
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static boolean onPath(String binary) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, binary))) {
        return true;
      }
    }
    return false;
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // a log file still open by a dying node: left behind, under target/
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
