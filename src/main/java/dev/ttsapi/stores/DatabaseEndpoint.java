package dev.ttsapi.stores;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** A JDBC URL with its credentials, parsed from the seed's {@code DATABASE_URL} form. */
public record DatabaseEndpoint(String jdbcUrl, String username, String password) {

  /**
   * Accepts {@code postgresql://user:pass@host:5432/db?sslmode=require} (also {@code postgres://})
   * and plain {@code jdbc:postgresql://...} URLs.
   */
  public static DatabaseEndpoint parse(String url) {
    String trimmed = url.trim();
    if (trimmed.startsWith("jdbc:")) {
      return new DatabaseEndpoint(trimmed, null, null);
    }
    URI uri = URI.create(trimmed);
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "DATABASE_URL must look like postgresql://user:pass@host:5432/db, got scheme "
              + uri.getScheme());
    }
    String username = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      username = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : null;
    }
    int port = uri.getPort() > 0 ? uri.getPort() : 5432;
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    String jdbcUrl = "jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getRawPath() + query;
    return new DatabaseEndpoint(jdbcUrl, username, password);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return jdbcUrl + (username == null ? "" : " as " + username);
  }
}
