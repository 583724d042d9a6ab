package dev.ttsapi.redis;

import io.lettuce.core.RedisURI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code REDIS_URL} read into what Lettuce needs. The forms:
 *
 * <ul>
 *   <li>{@code redis://[[user]:password@]host[:6379][/db]}, {@code rediss://…} with TLS: one
 *       server;
 *   <li>{@code redis-sentinel://[[user]:password@]host[:26379],host2[:port]…[/db]?master=name} (and
 *       {@code rediss-sentinel://}): the master the Sentinels name, followed through failovers; the
 *       password is the master's;
 *   <li>{@code redis-cluster://[[user]:password@]host[:6379],host2[:port]…} (and {@code
 *       rediss-cluster://}): a Redis Cluster, found from any of the nodes named (db 0 only).
 * </ul>
 *
 * A TLS form verifies the server's certificate against the JVM's trust store; {@code
 * ?verifyPeer=false} turns that off (a test's self-signed certificate).
 *
 * @param kind which client the URL needs
 * @param nodes one URI per host named, each with the password, TLS and database
 * @param text the URL without its password, for logs and messages
 */
record RedisUrl(Kind kind, List<RedisURI> nodes, String text) {

  enum Kind {
    STANDALONE,
    SENTINEL,
    CLUSTER
  }

  static final String FORMS =
      "redis://host:6379[/db], rediss://host:6379[/db], redis-cluster://host1:port,host2:port,..."
          + " or redis-sentinel://host1:26379,host2:26379,...?master=name";

  RedisUrl {
    nodes = List.copyOf(nodes);
  }

  /** The one URI the standalone and Sentinel clients take (Sentinels inside it). */
  RedisURI first() {
    return nodes.getFirst();
  }

  /**
   * Reads {@code url}.
   *
   * @throws IllegalArgumentException naming the accepted forms, if it is none of them
   */
  static RedisUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw invalid(url, "it is empty");
    }
    String trimmed = url.trim();
    int schemeEnd = trimmed.indexOf("://");
    if (schemeEnd < 0) {
      throw invalid(trimmed, "it has no scheme");
    }
    String scheme = trimmed.substring(0, schemeEnd).toLowerCase(java.util.Locale.ROOT);
    boolean tls = scheme.startsWith("rediss");
    Kind kind =
        switch (scheme) {
          case "redis", "rediss" -> Kind.STANDALONE;
          case "redis-sentinel", "rediss-sentinel" -> Kind.SENTINEL;
          case "redis-cluster", "rediss-cluster" -> Kind.CLUSTER;
          default -> throw invalid(trimmed, "scheme " + scheme + " is not one of them");
        };
    String rest = trimmed.substring(schemeEnd + 3);
    // Lettuce's own Sentinel form names the master as the fragment: …/0#name
    String fragment = null;
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      fragment = rest.substring(hash + 1);
      rest = rest.substring(0, hash);
    }
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    String path = "";
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      path = rest.substring(slash + 1);
      rest = rest.substring(0, slash);
    }
    String user = null;
    String password = null;
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String info = rest.substring(0, at);
      rest = rest.substring(at + 1);
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? "" : info.substring(0, colon));
      password = decode(colon < 0 ? info : info.substring(colon + 1));
    }
    int database = 0;
    if (!path.isEmpty()) {
      try {
        database = Integer.parseInt(path);
      } catch (NumberFormatException e) {
        throw invalid(trimmed, "the path /" + path + " is not a database number");
      }
    }
    if (kind == Kind.CLUSTER && database != 0) {
      throw invalid(trimmed, "a Redis Cluster has only database 0");
    }
    Map<String, String> params = query(query);
    boolean verifyPeer = !"false".equalsIgnoreCase(params.getOrDefault("verifyPeer", "true"));
    String master = params.getOrDefault("master", fragment);
    if (kind == Kind.SENTINEL && (master == null || master.isBlank())) {
      throw invalid(trimmed, "a Sentinel URL needs ?master=<the name the Sentinels monitor>");
    }
    List<HostPort> hosts = new ArrayList<>();
    for (String host : rest.split(",")) {
      if (!host.isBlank()) {
        hosts.add(HostPort.parse(host.trim(), kind == Kind.SENTINEL ? 26379 : 6379, trimmed));
      }
    }
    if (hosts.isEmpty()) {
      throw invalid(trimmed, "it names no host");
    }
    if (kind == Kind.STANDALONE && hosts.size() > 1) {
      throw invalid(trimmed, "it names several hosts; a cluster's URL starts redis-cluster://");
    }

    List<RedisURI> nodes = new ArrayList<>();
    if (kind == Kind.SENTINEL) {
      RedisURI.Builder builder =
          RedisURI.Builder.sentinel(hosts.getFirst().host(), hosts.getFirst().port(), master);
      for (HostPort sentinel : hosts.subList(1, hosts.size())) {
        builder.withSentinel(sentinel.host(), sentinel.port());
      }
      nodes.add(finish(builder, user, password, tls, verifyPeer, database));
    } else {
      for (HostPort host : hosts) {
        nodes.add(
            finish(
                RedisURI.Builder.redis(host.host(), host.port()),
                user,
                password,
                tls,
                verifyPeer,
                database));
      }
    }
    String shown =
        scheme
            + "://"
            + (password == null ? "" : "***@")
            + rest
            + (path.isEmpty() ? "" : "/" + path)
            + (master == null ? "" : "?master=" + master);
    return new RedisUrl(kind, nodes, shown);
  }

  private static RedisURI finish(
      RedisURI.Builder builder,
      String user,
      String password,
      boolean tls,
      boolean verifyPeer,
      int database) {
    if (password != null) {
      if (user != null && !user.isEmpty()) {
        builder.withAuthentication(user, password.toCharArray());
      } else {
        builder.withPassword(password.toCharArray());
      }
    }
    builder.withSsl(tls).withDatabase(database);
    if (tls) {
      builder.withVerifyPeer(verifyPeer);
    }
    return builder.build();
  }

  private static Map<String, String> query(String query) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      params.put(
          decode(eq < 0 ? pair : pair.substring(0, eq)),
          decode(eq < 0 ? "" : pair.substring(eq + 1)));
    }
    return params;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static IllegalArgumentException invalid(String url, String why) {
    return new IllegalArgumentException(
        "REDIS_URL (tts.stores.redis-url) "
            + (url == null ? "" : withoutPassword(url) + " ")
            + "cannot be used: "
            + why
            + ". Accepted forms: "
            + FORMS);
  }

  private static String withoutPassword(String url) {
    return url.replaceAll("(://)[^@/]*@", "$1***@");
  }

  private record HostPort(String host, int port) {
    static HostPort parse(String text, int defaultPort, String url) {
      String host = text;
      int port = defaultPort;
      int colon = text.lastIndexOf(':');
      // an IPv6 literal is in brackets: [::1]:6379
      if (colon > 0 && colon > text.lastIndexOf(']')) {
        host = text.substring(0, colon);
        try {
          port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
          throw invalid(url, "the port of " + text + " is not a number");
        }
      }
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      if (host.isEmpty() || port < 1 || port > 65535) {
        throw invalid(url, text + " is not host:port");
      }
      return new HostPort(host, port);
    }
  }
}
