package dev.ttsapi.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way into Redis. Every connection is made here ({@link RedisConfiguration}) and handed out
 * typed on the commands a standalone server and a Redis Cluster have in common (Lettuce's {@code
 * RedisClusterCommands}), so which one runs is a deployment choice that no caller sees.
 *
 * <ul>
 *   <li>{@link #sync} and {@link #async}: one shared, multiplexed connection for every command that
 *       does not block; commands sent without waiting travel together (pipelining). They fail fast
 *       ({@code tts.stores.redis-command-timeout}) so callers fall back instead of hanging.
 *   <li>{@link #blocking}: a connection of its own for a caller that waits on Redis (XREADGROUP or
 *       XREAD with BLOCK), with a timeout longer than its longest wait.
 *   <li>{@link #pubSub}: a subscription connection.
 *   <li>{@link #eval}: a {@link RedisScript}, by its SHA, loaded once and again when Redis has
 *       forgotten it; its text never travels with each call.
 * </ul>
 */
public final class Redis implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Redis.class);

  private final Connector connector;
  private final StatefulConnection<String, String> shared;
  private final RedisClusterCommands<String, String> sync;
  private final RedisClusterAsyncCommands<String, String> async;

  /** How connections are made: standalone (or Sentinel) and Cluster differ only here. */
  interface Connector {
    StatefulConnection<String, String> connect(Duration commandTimeout);

    RedisClusterCommands<String, String> sync(StatefulConnection<String, String> connection);

    RedisClusterAsyncCommands<String, String> async(StatefulConnection<String, String> connection);

    StatefulRedisPubSubConnection<String, String> connectPubSub();

    /**
     * Every master, by address, with a way to reach it: the one server, or each master of a Cluster
     * that owns slots (as the client last read the slot map).
     */
    Map<String, Supplier<RedisClusterCommands<String, String>>> masters(
        StatefulConnection<String, String> shared);

    /** Whether this is a Redis Cluster (else one server, or a master Sentinels name). */
    boolean cluster();

    /** The URL without its password, for messages. */
    String describe();

    /** Names what this deployment shares with no other on the same server (the db number). */
    String namespace();

    /** Closes every connection the connector made and releases its threads. */
    void shutdown();
  }

  Redis(Connector connector, Duration commandTimeout) {
    this.connector = connector;
    this.shared = connector.connect(commandTimeout);
    this.sync = connector.sync(shared);
    this.async = connector.async(shared);
  }

  /** Commands on the shared connection, waiting for each answer. */
  public RedisClusterCommands<String, String> sync() {
    return sync;
  }

  /** Commands on the shared connection, answered later: send several, then wait for them all. */
  public RedisClusterAsyncCommands<String, String> async() {
    return async;
  }

  /**
   * A connection of the caller's own for commands that block up to {@code longestWait}: its timeout
   * is that wait plus a margin, where the shared connection's would cut it short.
   */
  public BlockingConnection blocking(Duration longestWait) {
    StatefulConnection<String, String> connection =
        connector.connect(longestWait.plus(Duration.ofSeconds(5)));
    return new BlockingConnection(connection, connector.sync(connection));
  }

  /** A connection for SUBSCRIBE and PSUBSCRIBE; Lettuce subscribes again after a reconnect. */
  public StatefulRedisPubSubConnection<String, String> pubSub() {
    return connector.connectPubSub();
  }

  /** What keeps this deployment's channels apart from another's on the same server. */
  public String namespace() {
    return connector.namespace();
  }

  /**
   * One master's state, for health: how much memory it uses and may use, and whether it could lose
   * queued jobs (an eviction policy other than noeviction, no AOF).
   *
   * @param address host:port (or "master name" behind Sentinels)
   * @param runId the server's run_id, new at each start of a server; a master whose run id changed
   *     (a restart, or a replica promoted in its place) may have lost writes; null when down
   * @param error why it could not be read; null when it answered
   */
  public record Master(
      String address,
      boolean up,
      long usedMemoryBytes,
      long maxMemoryBytes,
      String maxMemoryPolicy,
      boolean appendOnly,
      String runId,
      String error) {}

  /** Whether this is a Redis Cluster; callers need not care, health reports it. */
  public boolean cluster() {
    return connector.cluster();
  }

  /**
   * Reads every master's INFO (memory and persistence): on a Cluster each master that owns slots,
   * as a key's command could land on any of them. A master that does not answer is listed down.
   */
  public List<Master> masters() {
    List<Master> masters = new ArrayList<>();
    connector
        .masters(shared)
        .forEach(
            (address, commands) -> {
              try {
                Map<String, String> info = info(commands.get().info());
                masters.add(
                    new Master(
                        address,
                        true,
                        number(info.get("used_memory")),
                        number(info.get("maxmemory")),
                        info.getOrDefault("maxmemory_policy", ""),
                        "1".equals(info.get("aof_enabled")),
                        info.get("run_id"),
                        null));
              } catch (RuntimeException e) {
                masters.add(new Master(address, false, 0, 0, "", false, null, e.getMessage()));
              }
            });
    return masters;
  }

  /**
   * The run id of every master that answers, by address ({@link Master#runId}): a change tells that
   * a master was restarted or replaced, and may have lost what it had not persisted or replicated.
   */
  public Map<String, String> masterRunIds() {
    Map<String, String> runIds = new HashMap<>();
    for (Master master : masters()) {
      if (master.up() && master.runId() != null) {
        runIds.put(master.address(), master.runId());
      }
    }
    return runIds;
  }

  /**
   * PINGs every master (see {@link #masters}); fails naming the first that does not answer.
   * Readiness and the store probe use it: on a Cluster, one master down makes a share of the keys
   * unusable.
   */
  public void pingEveryMaster() {
    var masters = connector.masters(shared);
    if (masters.isEmpty()) {
      throw new IllegalStateException("Redis Cluster has no master with slots");
    }
    masters.forEach(
        (address, commands) -> {
          try {
            commands.get().ping();
          } catch (RuntimeException e) {
            throw new IllegalStateException(
                "Redis master " + address + " does not answer: " + e.getMessage(), e);
          }
        });
  }

  /**
   * Fails the start when Redis is not what {@code REDIS_URL} says: a URL for one server that
   * reaches a node of a Cluster (most keys would answer MOVED, limits and status writes would fail
   * and be skipped). A server that does not answer yet is left to reconnect later.
   */
  void checkTopology() {
    if (connector.cluster()) {
      try {
        String state = info(sync.clusterInfo()).get("cluster_state");
        if (!"ok".equals(state)) {
          log.warn(
              "Redis Cluster {} says cluster_state:{}; keys of uncovered slots fail until it is ok",
              connector.describe(),
              state);
        }
      } catch (RuntimeException e) {
        log.warn(
            "Could not read the state of Redis Cluster {}: {}", connector.describe(), e.toString());
      }
      return;
    }
    Map<String, String> info;
    try {
      info = info(sync.info("cluster"));
    } catch (RuntimeException e) {
      log.warn(
          "Redis {} does not answer yet ({}); its commands fail until it does",
          connector.describe(),
          e.toString());
      return;
    }
    if ("1".equals(info.get("cluster_enabled"))) {
      throw new IllegalStateException(
          "REDIS_URL "
              + connector.describe()
              + " names one Redis server, but that server is a node of a Redis Cluster: keys of"
              + " other nodes' slots would answer MOVED and rate limits, quotas and status writes"
              + " would fail. Use redis-cluster://host1:port,host2:port,... (any nodes of the"
              + " cluster)");
    }
  }

  private static Map<String, String> info(String text) {
    Map<String, String> values = new HashMap<>();
    for (String line : text.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        values.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return values;
  }

  private static long number(String value) {
    try {
      return value == null ? 0 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Runs a script and waits for its answer. */
  public <T> T eval(RedisScript script, List<String> keys, List<String> args) {
    return await(evalAsync(script, keys, args));
  }

  /**
   * Sends a script by its SHA without waiting; if Redis does not know it (restarted, flushed) it is
   * sent once in full, which also puts it back into Redis's cache.
   */
  public <T> CompletableFuture<T> evalAsync(
      RedisScript script, List<String> keys, List<String> args) {
    requireOneSlot(script, keys);
    String[] k = keys.toArray(String[]::new);
    String[] a = args.toArray(String[]::new);
    CompletableFuture<T> bySha =
        async.<T>evalsha(script.sha(), script.output(), k, a).toCompletableFuture();
    return bySha.exceptionallyCompose(
        failure ->
            unwrap(failure) instanceof RedisNoScriptException
                ? async.<T>eval(script.source(), script.output(), k, a).toCompletableFuture()
                : CompletableFuture.failedFuture(unwrap(failure)));
  }

  /**
   * A script runs on the one master of its keys' slot: keys of several slots would work on one
   * server and fail with CROSSSLOT on a Cluster. Checked on every call, so a test on one server
   * already catches a key without its hash tag.
   */
  private static void requireOneSlot(RedisScript script, List<String> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(
          script + " declares no key: Redis Cluster cannot route it");
    }
    int slot = SlotHash.getSlot(keys.getFirst());
    for (String key : keys) {
      if (SlotHash.getSlot(key) != slot) {
        throw new IllegalArgumentException(
            script + " names keys of several hash slots (" + keys.getFirst() + ", " + key + ")");
      }
    }
  }

  /**
   * Loads every script, so the first calls need not send their text (on a Cluster, Lettuce sends
   * SCRIPT LOAD to every master). Redis may be down at start: a script is then sent in full on its
   * first NOSCRIPT.
   */
  void loadScripts() {
    for (RedisScript script : RedisScript.values()) {
      try {
        sync.scriptLoad(script.source());
      } catch (RuntimeException e) {
        log.warn("Could not load Lua script {} into Redis: {}", script, e.toString());
        return;
      }
    }
  }

  /**
   * A seam of its own on one standalone server, for a tool or a test that must talk to a Redis
   * other than the application's; close it when done.
   */
  public static Redis standalone(String url, Duration commandTimeout) {
    return connect(url, commandTimeout);
  }

  /**
   * A seam of its own on any {@code REDIS_URL} form (one server, Sentinel, Cluster), for a tool, a
   * benchmark or a test; close it when done.
   */
  public static Redis connect(String url, Duration commandTimeout) {
    return RedisConfiguration.connect(RedisUrl.parse(url), commandTimeout, null);
  }

  /** Closes the shared connection and the client's threads (connections handed out close apart). */
  @Override
  public void close() {
    shared.close();
    connector.shutdown();
  }

  /**
   * Waits for an answer of {@link #async} and rethrows its failure unwrapped, so callers catch the
   * same exceptions as from {@link #sync}.
   */
  public static <T> T await(java.util.concurrent.Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for Redis", e);
    } catch (ExecutionException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    }
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** A connection of one caller's own, for blocking commands; close it when done. */
  public static final class BlockingConnection implements AutoCloseable {
    private final StatefulConnection<String, String> connection;
    private final RedisClusterCommands<String, String> commands;

    private BlockingConnection(
        StatefulConnection<String, String> connection,
        RedisClusterCommands<String, String> commands) {
      this.connection = connection;
      this.commands = commands;
    }

    public RedisClusterCommands<String, String> commands() {
      return commands;
    }

    @Override
    public void close() {
      connection.close();
    }
  }
}
