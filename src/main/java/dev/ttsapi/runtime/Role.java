package dev.ttsapi.runtime;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a process runs, chosen with {@code --roles=api,worker,maintenance} (default: all three), so
 * the seed's topology (N API replicas, M workers, one maintenance leader) is a deployment choice
 * rather than a code change.
 */
public enum Role {
  /** HTTP API: accepts requests, answers status and serves audio. */
  API,
  /** Pulls jobs from the queues and synthesizes speech. */
  WORKER,
  /** Partitions, sweeper and other housekeeping, on one node at a time under a lock. */
  MAINTENANCE;

  public static final String PROPERTY = "tts.roles";

  /** Parses a comma-separated list; unknown names are an error that lists the valid ones. */
  public static Set<Role> parse(String value) {
    if (value == null || value.isBlank()) {
      return EnumSet.allOf(Role.class);
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String part : value.split(",")) {
      String name = part.trim().toUpperCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      try {
        roles.add(Role.valueOf(name));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Unknown role '" + part.trim() + "'; roles are " + names(EnumSet.allOf(Role.class)));
      }
    }
    return roles;
  }

  public static String names(Set<Role> roles) {
    return roles.stream()
        .map(r -> r.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(","));
  }
}
