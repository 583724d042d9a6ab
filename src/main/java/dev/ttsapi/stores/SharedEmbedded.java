package dev.ttsapi.stores;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Embedded servers shared by every application context of one JVM that uses the same data directory
 * (tests start several): the first starts the server, the last one to close stops it. Two servers
 * can never run on one data directory, and contexts sharing it see the same data (and the settings
 * the first one started it with).
 */
final class SharedEmbedded<S extends AutoCloseable> {

  private record Entry<S>(S server, int users) {}

  private final Map<Path, Entry<S>> servers = new HashMap<>();

  /** The server on {@code dataDir}, started by {@code starter} if none runs there yet. */
  synchronized S acquire(Path dataDir, Function<Path, S> starter) {
    Path key = dataDir.toAbsolutePath().normalize();
    Entry<S> entry = servers.get(key);
    if (entry == null) {
      entry = new Entry<>(starter.apply(key), 0);
    }
    servers.put(key, new Entry<>(entry.server(), entry.users() + 1));
    return entry.server();
  }

  synchronized void release(Path dataDir) throws Exception {
    Path key = dataDir.toAbsolutePath().normalize();
    Entry<S> entry = servers.get(key);
    if (entry == null) {
      return;
    }
    if (entry.users() <= 1) {
      servers.remove(key);
      entry.server().close();
    } else {
      servers.put(key, new Entry<>(entry.server(), entry.users() - 1));
    }
  }
}
