package dev.ttsapi.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real master, one replica and three Sentinels ({@code redis-server --sentinel}) watching it
 * under the name {@code tts}, on consecutive ports from the caller's range; data under {@code
 * target/redis-sentinel/<port>}. Sentinels declare the master down after one second, so a failover
 * takes seconds.
 */
public final class RedisSentinelServers implements AutoCloseable {

  public static final String MASTER_NAME = "tts";

  private final Map<Integer, Process> processes = new LinkedHashMap<>();
  private final Path dir = Path.of("target", "redis-sentinel").toAbsolutePath();
  private final int masterPort;
  private final int replicaPort;
  private final List<Integer> sentinelPorts = new ArrayList<>();

  private RedisSentinelServers(int firstPort) {
    this.masterPort = firstPort;
    this.replicaPort = firstPort + 1;
    for (int i = 0; i < 3; i++) {
      sentinelPorts.add(firstPort + 2 + i);
    }
  }

  public static RedisSentinelServers start(int firstPort) {
    RedisClusterServers.assumeInstalled();
    RedisSentinelServers servers = new RedisSentinelServers(firstPort);
    try {
      servers.startServer(servers.masterPort, List.of());
      servers.startServer(
          servers.replicaPort, List.of("--replicaof", "127.0.0.1", Integer.toString(firstPort)));
      for (int port : servers.sentinelPorts) {
        servers.startSentinel(port);
      }
      servers.awaitSentinelsSee(servers.masterPort);
      return servers;
    } catch (RuntimeException e) {
      servers.close();
      throw e;
    }
  }

  /** {@code redis-sentinel://…?master=tts} naming the three Sentinels. */
  public String url() {
    return "redis-sentinel://"
        + sentinelPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","))
        + "?master="
        + MASTER_NAME;
  }

  public int masterPort() {
    return masterPort;
  }

  public int replicaPort() {
    return replicaPort;
  }

  /** The port the Sentinels name as master now. */
  public int currentMaster() {
    String out =
        RedisClusterServers.run(
            List.of(
                "redis-cli",
                "-p",
                Integer.toString(sentinelPorts.getFirst()),
                "sentinel",
                "get-master-addr-by-name",
                MASTER_NAME));
    String[] lines = out.trim().split("\n");
    return Integer.parseInt(lines[lines.length - 1].trim());
  }

  /** Kills a server at once (SIGKILL). */
  public void kill(int port) {
    Process p = processes.get(port);
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until the Sentinels name {@code port} as the master. */
  public void awaitSentinelsSee(int port) {
    Instant until = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(until)) {
      try {
        if (currentMaster() == port) {
          return;
        }
      } catch (RuntimeException notYet) {
        // a Sentinel still starting
      }
      sleep(200);
    }
    throw new IllegalStateException("the Sentinels never named port " + port + " as master");
  }

  private void startServer(int port, List<String> extra) {
    Path nodeDir = fresh(port);
    List<String> args =
        new ArrayList<>(
            List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                nodeDir.toString(),
                "--save",
                "",
                "--appendonly",
                "no",
                "--logfile",
                nodeDir.resolve("redis.log").toString()));
    args.addAll(extra);
    launch(port, args, nodeDir);
  }

  private void startSentinel(int port) {
    Path nodeDir = fresh(port);
    Path conf = nodeDir.resolve("sentinel.conf");
    try {
      Files.writeString(
          conf,
          String.join(
              "\n",
              "port " + port,
              "bind 127.0.0.1",
              "dir " + nodeDir,
              "logfile " + nodeDir.resolve("sentinel.log"),
              "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + masterPort + " 2",
              "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
              "sentinel failover-timeout " + MASTER_NAME + " 10000",
              "sentinel parallel-syncs " + MASTER_NAME + " 1",
              ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    launch(port, List.of("redis-server", conf.toString(), "--sentinel"), nodeDir);
  }

  private void launch(int port, List<String> args, Path nodeDir) {
    try {
      processes.put(
          port,
          new ProcessBuilder(args)
              .redirectErrorStream(true)
              .redirectOutput(nodeDir.resolve("stdout.log").toFile())
              .start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Instant until = Instant.now().plus(Duration.ofSeconds(20));
    while (Instant.now().isBefore(until)) {
      if (RedisClusterServers.run(List.of("redis-cli", "-p", Integer.toString(port), "ping"))
          .contains("PONG")) {
        return;
      }
      sleep(100);
    }
    throw new IllegalStateException("redis on port " + port + " did not start");
  }

  private Path fresh(int port) {
    Path nodeDir = dir.resolve(Integer.toString(port));
    if (Files.exists(nodeDir)) {
      RedisClusterServers.run(
          List.of("redis-cli", "-p", Integer.toString(port), "shutdown", "nosave"));
      RedisClusterServers.deleteTree(nodeDir);
    }
    try {
      Files.createDirectories(nodeDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return nodeDir;
  }

  @Override
  public void close() {
    processes.values().forEach(Process::destroyForcibly);
    for (Process p : processes.values()) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (int port : processes.keySet()) {
      RedisClusterServers.deleteTree(dir.resolve(Integer.toString(port)));
    }
    processes.clear();
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
