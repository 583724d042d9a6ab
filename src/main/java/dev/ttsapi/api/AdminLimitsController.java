package dev.ttsapi.api;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserNotFoundException;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.ratelimit.UserLimits;
import dev.ttsapi.ratelimit.UserLimitsService;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import dev.ttsapi.web.Admin;
import dev.ttsapi.web.AdminOnly;
import dev.ttsapi.web.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A user's rate limit, poll budget and daily character quota; admin keys only. A field left out or
 * null goes back to the configured default ({@code tts.ratelimit.*}; the poll budget's default
 * scales with a submit budget set here, see {@code tts.ratelimit.poll-multiple}).
 */
@RestController
@AdminOnly
@RequestMapping(path = "/admin/users/{id}/limits", produces = MediaType.APPLICATION_JSON_VALUE)
@ConditionalOnRole(Role.API)
class AdminLimitsController {

  private final UserService users;
  private final UserLimitsService limits;

  AdminLimitsController(UserService users, UserLimitsService limits) {
    this.users = users;
    this.limits = limits;
  }

  record LimitsBody(
      Integer requestsPerMinute, Long charactersPerDay, Integer pollRequestsPerMinute) {}

  record LimitsResponse(
      String userId,
      int requestsPerMinute,
      long charactersPerDay,
      int pollRequestsPerMinute,
      boolean custom) {}

  @GetMapping
  LimitsResponse get(Admin admin, @PathVariable String id) {
    Caller user = user(id);
    return response(user, limits.limitsOf(user.userId()));
  }

  @PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  LimitsResponse put(Admin admin, @PathVariable String id, @RequestBody LimitsBody body) {
    List<InvalidInputException.FieldError> errors = new ArrayList<>();
    if (body.requestsPerMinute() != null && body.requestsPerMinute() < 1) {
      errors.add(new InvalidInputException.FieldError("requests_per_minute", "must be at least 1"));
    }
    if (body.charactersPerDay() != null && body.charactersPerDay() < 1) {
      errors.add(new InvalidInputException.FieldError("characters_per_day", "must be at least 1"));
    }
    if (body.pollRequestsPerMinute() != null && body.pollRequestsPerMinute() < 1) {
      errors.add(
          new InvalidInputException.FieldError("poll_requests_per_minute", "must be at least 1"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    Caller user = user(id);
    return response(
        user,
        limits.setLimits(
            user.userId(),
            body.requestsPerMinute(),
            body.charactersPerDay(),
            body.pollRequestsPerMinute()));
  }

  private Caller user(String id) {
    return users.findUser(id).orElseThrow(() -> new UserNotFoundException(id));
  }

  private static LimitsResponse response(Caller user, UserLimits l) {
    return new LimitsResponse(
        user.userId().toString(),
        l.requestsPerMinute(),
        l.charactersPerDay(),
        l.pollRequestsPerMinute(),
        l.custom());
  }
}
