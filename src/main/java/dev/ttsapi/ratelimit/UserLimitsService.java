package dev.ttsapi.ratelimit;

import dev.ttsapi.auth.UserNotFoundException;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.cache.MultiLevelCache;
import dev.ttsapi.cache.MultiLevelCaches;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * The limits of each user: an admin's settings from PostgreSQL, or the configured defaults. Read on
 * the request path, so the user's row (or its absence: most users have none) is kept in the
 * multi-level cache; an admin's change reaches every node through its invalidation. The cache holds
 * the row, not the result, so each node applies its own configured defaults.
 */
@Service
public class UserLimitsService {

  static final String CACHE = "user-limits";

  private final UserLimitsRepository repository;
  private final UserService users;
  private final RateLimitProperties properties;
  private final MultiLevelCache<UserLimitsRepository.Row> rows;

  UserLimitsService(
      UserLimitsRepository repository,
      UserService users,
      RateLimitProperties properties,
      MultiLevelCaches caches) {
    this.repository = repository;
    this.users = users;
    this.properties = properties;
    this.rows =
        caches.create(
            CACHE,
            UserLimitsRepository.Row.class,
            MultiLevelCaches.Absent.REMEMBERED,
            userId -> repository.find(UUID.fromString(userId)));
  }

  public UserLimits limitsOf(UUID userId) {
    return rows.get(userId.toString())
        .map(
            row -> {
              int requests =
                  row.requestsPerMinute() != null
                      ? row.requestsPerMinute()
                      : properties.requestsPerMinute();
              return new UserLimits(
                  requests,
                  row.charactersPerDay() != null
                      ? row.charactersPerDay()
                      : properties.charactersPerDay(),
                  row.pollRequestsPerMinute() != null
                      ? row.pollRequestsPerMinute()
                      : defaultPollBudget(row.requestsPerMinute()),
                  true);
            })
        .orElseGet(
            () ->
                new UserLimits(
                    properties.requestsPerMinute(),
                    properties.charactersPerDay(),
                    properties.pollRequestsPerMinute(),
                    false));
  }

  /**
   * A user polls on the configured budget, unless an admin set their submit budget: then on {@code
   * poll-multiple} times it (never less than the configured budget), so raising a user's
   * submissions does not leave their status polls behind at the fixed default.
   */
  private int defaultPollBudget(Integer ownRequestsPerMinute) {
    if (ownRequestsPerMinute == null) {
      return properties.pollRequestsPerMinute();
    }
    long scaled = (long) ownRequestsPerMinute * properties.pollMultiple();
    return (int) Math.min(Integer.MAX_VALUE, Math.max(properties.pollRequestsPerMinute(), scaled));
  }

  /**
   * Sets a user's own limits; a null value means the configured default. Every node applies them
   * within moments.
   *
   * @throws UserNotFoundException if there is no such user
   */
  public UserLimits setLimits(UUID userId, Integer requestsPerMinute, Long charactersPerDay) {
    return setLimits(userId, requestsPerMinute, charactersPerDay, null);
  }

  /**
   * {@link #setLimits(UUID, Integer, Long)} with the poll budget too (null: the default, see {@link
   * RateLimitProperties#pollMultiple}).
   */
  public UserLimits setLimits(
      UUID userId,
      Integer requestsPerMinute,
      Long charactersPerDay,
      Integer pollRequestsPerMinute) {
    users
        .findUser(userId.toString())
        .orElseThrow(() -> new UserNotFoundException(userId.toString()));
    repository.upsert(userId, requestsPerMinute, charactersPerDay, pollRequestsPerMinute);
    rows.invalidate(userId.toString());
    return limitsOf(userId);
  }
}
