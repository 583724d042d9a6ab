package dev.ttsapi.api;

import dev.ttsapi.auth.KeyNotFoundException;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import dev.ttsapi.web.Admin;
import dev.ttsapi.web.AdminOnly;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Revoking API keys (admin only). */
@RestController
@AdminOnly
@ConditionalOnRole(Role.API)
class AdminKeysController {

  private final UserService users;

  AdminKeysController(UserService users) {
    this.users = users;
  }

  /** The key stops working at once here and within moments on every other node. */
  @DeleteMapping("/admin/keys/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void revoke(Admin admin, @PathVariable String id) {
    UUID keyId;
    try {
      keyId = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new KeyNotFoundException(id);
    }
    users.revokeKey(keyId);
  }
}
