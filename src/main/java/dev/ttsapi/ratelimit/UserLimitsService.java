package dev.ttsapi.ratelimit;

import dev.ttsapi.auth.UserNotFoundException;
import dev.ttsapi.auth.UserService;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;

/**
 * The limits of each user: an admin's settings from PostgreSQL, or the configured defaults. Read on
 * the request path, so each node keeps them for {@code tts.ratelimit.limits-cache-ttl}.
 */
@Service
public class UserLimitsService {

  private static final int MAX_CACHED = 100_000;

  private record Cached(UserLimits limits, Instant until) {}

  private final UserLimitsRepository repository;
  private final UserService users;
  private final RateLimitProperties properties;
  private final Clock clock;
  private final Map<UUID, Cached> cache = new ConcurrentHashMap<>();

  UserLimitsService(
      UserLimitsRepository repository,
      UserService users,
      RateLimitProperties properties,
      Clock clock) {
    this.repository = repository;
    this.users = users;
    this.properties = properties;
    this.clock = clock;
  }

  public UserLimits limitsOf(UUID userId) {
    Instant now = clock.instant();
    Cached cached = cache.get(userId);
    if (cached != null && now.isBefore(cached.until())) {
      return cached.limits();
    }
    UserLimits limits =
        repository
            .find(userId)
            .map(
                row ->
                    new UserLimits(
                        row.requestsPerMinute() != null
                            ? row.requestsPerMinute()
                            : properties.requestsPerMinute(),
                        row.charactersPerDay() != null
                            ? row.charactersPerDay()
                            : properties.charactersPerDay(),
                        true))
            .orElseGet(
                () ->
                    new UserLimits(
                        properties.requestsPerMinute(), properties.charactersPerDay(), false));
    if (cache.size() >= MAX_CACHED) {
      cache.clear();
    }
    cache.put(userId, new Cached(limits, now.plus(properties.limitsCacheTtl())));
    return limits;
  }

  /**
   * Sets a user's own limits; a null value means the configured default.
   *
   * @throws UserNotFoundException if there is no such user
   */
  public UserLimits setLimits(UUID userId, Integer requestsPerMinute, Long charactersPerDay) {
    users
        .findUser(userId.toString())
        .orElseThrow(() -> new UserNotFoundException(userId.toString()));
    repository.upsert(userId, requestsPerMinute, charactersPerDay);
    cache.remove(userId);
    return limitsOf(userId);
  }
}
