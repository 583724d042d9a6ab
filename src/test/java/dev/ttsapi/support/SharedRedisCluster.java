package dev.ttsapi.support;

/**
 * One 6-node Redis Cluster (3 masters, 3 replicas, ports 7101–7106) shared by the test classes that
 * only use it, started on first use and stopped when the test JVM exits. A test that kills nodes
 * starts a cluster of its own instead.
 */
public final class SharedRedisCluster {

  public static final int FIRST_PORT = 7101;

  private static RedisClusterServers cluster;

  private SharedRedisCluster() {}

  public static synchronized RedisClusterServers get() {
    if (cluster == null) {
      cluster = RedisClusterServers.start(FIRST_PORT, 3, 1);
      RedisClusterServers started = cluster;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close));
    }
    return cluster;
  }
}
