package dev.ttsapi.api;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserNotFoundException;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.auth.UserService.IssuedKey;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import dev.ttsapi.web.Admin;
import dev.ttsapi.web.AdminOnly;
import dev.ttsapi.web.InvalidInputException;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Users and keys; admin keys only. */
@RestController
@AdminOnly
@RequestMapping(path = "/admin/users", produces = MediaType.APPLICATION_JSON_VALUE)
@ConditionalOnRole(Role.API)
class AdminController {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,100}");

  private final UserService users;

  AdminController(UserService users) {
    this.users = users;
  }

  record NewUser(String name, String role) {}

  record UserResponse(String userId, String name, String role) {}

  record KeyResponse(String keyId, String userId, String apiKey) {}

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.CREATED)
  UserResponse createUser(Admin admin, @RequestBody NewUser body) {
    if (body.name() == null || !NAME.matcher(body.name()).matches()) {
      throw new InvalidInputException("name", "is required: 1 to 100 letters, digits or . _ @ -");
    }
    Caller.Role role = Caller.Role.USER;
    if (body.role() != null) {
      try {
        role = Caller.Role.valueOf(body.role().trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("role", "must be one of admin, user");
      }
    }
    Caller created = users.createUser(body.name(), role);
    return new UserResponse(
        created.userId().toString(), created.name(), role.name().toLowerCase(Locale.ROOT));
  }

  /** A new key for the user, shown this once; only its hash is kept. */
  @PostMapping("/{id}/keys")
  @ResponseStatus(HttpStatus.CREATED)
  KeyResponse issueKey(Admin admin, @PathVariable String id) {
    UUID userId;
    try {
      userId = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new UserNotFoundException(id);
    }
    IssuedKey key = users.issueKey(userId);
    return new KeyResponse(key.keyId().toString(), key.userId().toString(), key.key());
  }
}
