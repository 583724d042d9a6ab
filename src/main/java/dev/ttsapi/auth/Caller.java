package dev.ttsapi.auth;

import java.util.UUID;

/** The user an API key belongs to, as seen by the request handling it. */
public record Caller(UUID userId, String name, Role role) {

  public enum Role {
    ADMIN,
    USER
  }

  public boolean admin() {
    return role == Role.ADMIN;
  }
}
