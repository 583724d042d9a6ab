package dev.ttsapi.ratelimit;

import dev.ttsapi.observability.TtsMetrics;
import dev.ttsapi.ratelimit.RateLimitExceededException.Kind;
import dev.ttsapi.redis.Redis;
import dev.ttsapi.redis.RedisScript;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Per-minute limits and the daily character quota, kept in Redis so every API node shares them
 * exactly. A limit is a GCRA bucket (one Lua script, all buckets of a call checked and advanced
 * atomically, on Redis's clock); the quota is a counter per user and UTC day. All keys of a user
 * share the hash tag {@code {rl:<user>}}, so one script touches one Redis Cluster slot.
 *
 * <p>If Redis cannot answer, calls are let through (logged, and counted in {@code
 * tts_limits_failed_open_total}, which an alert watches): the limiter protects the service, it must
 * not take it down.
 */
@Service
public class RateLimiter {

  private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
  private static final long PERIOD_MS = Duration.ofMinutes(1).toMillis();

  private final Redis redis;
  private final UserLimitsService limits;
  private final UsageAudit audit;
  private final RateLimitProperties properties;
  private final Clock clock;
  private final TtsMetrics metrics;

  RateLimiter(
      Redis redis,
      TtsMetrics metrics,
      UserLimitsService limits,
      org.springframework.beans.factory.ObjectProvider<UsageAudit> audit,
      RateLimitProperties properties,
      Clock clock) {
    this.redis = redis;
    this.metrics = metrics;
    this.limits = limits;
    this.audit = audit.getIfAvailable();
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * Takes one call from the user's budget (and, for submissions, from the key's own limit if one is
   * set).
   *
   * @param apiKey the key the call came with; only a hash of it is used
   * @return the decision, allowed or not; its numbers go into the {@code RateLimit-*} headers
   */
  public Decision acquire(UUID userId, String apiKey, Budget budget) {
    return acquire(userId, apiKey, budget, 1);
  }

  /**
   * Takes {@code calls} submissions at once from the user's submit budget (and the key's), all or
   * none: for a batch, whose items each count as a submission. Refused, the decision's {@code
   * remaining} says how many would fit now.
   */
  public Decision acquireSubmissions(UUID userId, String apiKey, int calls) {
    return acquire(userId, apiKey, Budget.SUBMIT, calls);
  }

  private Decision acquire(UUID userId, String apiKey, Budget budget, int cost) {
    return acquireLater(userId, apiKey, budget, cost).await();
  }

  /**
   * {@link #acquire(UUID, String, Budget)} sent without waiting: the caller sends its own Redis
   * commands, then {@link PendingDecision#await awaits} the decision, and all travel in one round
   * trip. Fails open as {@code acquire} does.
   */
  public PendingDecision acquireLater(UUID userId, String apiKey, Budget budget) {
    return acquireLater(userId, apiKey, budget, 1);
  }

  private PendingDecision acquireLater(UUID userId, String apiKey, Budget budget, int cost) {
    long perUser =
        budget == Budget.POLL
            ? limits.limitsOf(userId).pollRequestsPerMinute()
            : limits.limitsOf(userId).requestsPerMinute();
    if (!properties.enabled() || cost <= 0) {
      return PendingDecision.decided(Decision.unlimited(perUser));
    }
    List<String> keys = new ArrayList<>(2);
    List<String> args = new ArrayList<>(4);
    long shown = buckets(userId, apiKey, budget, perUser, keys, args);
    if (cost != 1) {
      args.add(Integer.toString(cost));
    }
    CompletableFuture<List<Long>> sent;
    try {
      sent = redis.evalAsync(RedisScript.GCRA, keys, args);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    // Mapped and counted on the caller's thread (await), never on the Redis client's event loop:
    // counting may write to PostgreSQL.
    return new PendingDecision(
        sent,
        result -> {
          boolean allowed = result.get(0) == 1;
          record(userId, allowed ? cost : 0, 0, allowed ? 0 : cost);
          return new Decision(
              allowed,
              shown,
              result.get(1),
              seconds(result.get(3)),
              allowed ? 0 : seconds(result.get(2)));
        },
        failure -> {
          log.warn("Rate limiter unavailable, letting the call through: {}", failure.toString());
          metrics.limitFailedOpen(budget == Budget.POLL ? "poll" : "submit");
          return Decision.unlimited(shown);
        });
  }

  /**
   * The GCRA buckets of one call of {@code budget} (the user's, and for a submission the key's own
   * if one is set) added to {@code keys}, with the period and their limits to {@code args}; returns
   * the limit the headers show (the smaller).
   */
  private long buckets(
      UUID userId,
      String apiKey,
      Budget budget,
      long perUser,
      List<String> keys,
      List<String> args) {
    args.add(Long.toString(PERIOD_MS));
    keys.add(prefix(userId) + (budget == Budget.POLL ? "poll" : "submit"));
    args.add(Long.toString(perUser));
    long limit = perUser;
    if (budget == Budget.SUBMIT && properties.keyRequestsPerMinute() > 0 && apiKey != null) {
      keys.add(prefix(userId) + "key:" + keyHash(apiKey));
      args.add(Integer.toString(properties.keyRequestsPerMinute()));
      limit = Math.min(limit, properties.keyRequestsPerMinute());
    }
    return limit;
  }

  /**
   * A submission's two limits in one script call, one Redis round trip: one call taken from the
   * user's submit budget (and the key's), and, only if the budget had room, {@code characters}
   * charged to the user's daily quota. A call the budget refuses is charged no characters; one the
   * quota refuses has used its budget all the same (as when the two were asked one after the
   * other). Fails open as {@link #acquire} and {@link #chargeCharacters} do.
   */
  public SubmitLimits submitLimits(UUID userId, String apiKey, long characters) {
    UserLimits user = limits.limitsOf(userId);
    long perUser = user.requestsPerMinute();
    if (!properties.enabled()) {
      return new SubmitLimits(
          Decision.unlimited(perUser), new QuotaCharge(this, userId, characters), null);
    }
    List<String> keys = new ArrayList<>(3);
    List<String> args = new ArrayList<>(6);
    long shown = buckets(userId, apiKey, Budget.SUBMIT, perUser, keys, args);
    Instant now = clock.instant();
    LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
    long untilMidnight = untilMidnight(now, day);
    long quota = user.charactersPerDay();
    long charged = Math.max(0, characters);
    keys.add(prefix(userId) + "chars:" + day);
    args.add(Long.toString(quota));
    args.add(Long.toString(charged));
    args.add(Long.toString(untilMidnight + Duration.ofDays(1).toSeconds()));
    List<Long> result;
    try {
      result = redis.eval(RedisScript.SUBMIT_LIMITS, keys, args);
    } catch (RuntimeException e) {
      log.warn("Rate limiter unavailable, letting the submission through: {}", e.toString());
      metrics.limitFailedOpen("submit");
      metrics.limitFailedOpen("quota");
      // nothing was charged, so nothing is given back
      return new SubmitLimits(Decision.unlimited(shown), new QuotaCharge(this, userId, 0), null);
    }
    boolean allowed = result.get(0) == 1;
    Decision decision =
        new Decision(
            allowed,
            shown,
            result.get(1),
            seconds(result.get(3)),
            allowed ? 0 : seconds(result.get(2)));
    if (!allowed) {
      record(userId, 0, 0, 1);
      return new SubmitLimits(decision, null, null);
    }
    if (result.get(4) == 0) {
      record(userId, 1, 0, 0);
      return new SubmitLimits(
          decision, null, quotaRefusal(quota, result.get(5), characters, untilMidnight));
    }
    record(userId, 1, result.get(4) == 1 ? charged : 0, 0);
    return new SubmitLimits(
        decision, new QuotaCharge(this, userId, result.get(4) == 1 ? charged : 0), null);
  }

  /**
   * What {@link #submitLimits} decided.
   *
   * @param budget the per-minute budget's decision, for the {@code RateLimit-*} headers
   * @param charge the characters charged, when the budget allowed the call and the quota had room
   * @param quotaRefusal the quota's 429, when the budget allowed the call and the quota had no room
   */
  public record SubmitLimits(
      Decision budget, QuotaCharge charge, RateLimitExceededException quotaRefusal) {

    /**
     * The characters charged.
     *
     * @throws RateLimitExceededException the quota's refusal
     */
    public QuotaCharge charged() {
      if (quotaRefusal != null) {
        throw quotaRefusal;
      }
      return charge;
    }
  }

  /**
   * Counts one call with an unknown API key against its client address's per-minute budget, shared
   * by every API node. Fails open like the other limits when Redis cannot answer.
   *
   * @return allowed while the address has failed fewer times than its budget this minute
   */
  public Decision failedLogin(String clientAddress) {
    long limit = properties.failedLoginsPerMinute();
    if (!properties.enabled()) {
      return Decision.unlimited(limit);
    }
    List<Long> result;
    try {
      result =
          redis.eval(
              RedisScript.GCRA,
              List.of("{rl:addr:" + clientAddress + "}:failed-logins"),
              List.of(Long.toString(PERIOD_MS), Long.toString(limit)));
    } catch (RuntimeException e) {
      log.warn("Failed-login limit unavailable, letting the call through: {}", e.toString());
      metrics.limitFailedOpen("failed_login");
      return Decision.unlimited(limit);
    }
    boolean allowed = result.get(0) == 1;
    return new Decision(
        allowed,
        limit,
        result.get(1),
        seconds(result.get(3)),
        allowed ? 0 : Math.max(1, seconds(result.get(2))));
  }

  /**
   * Charges characters of submitted text to the user's daily quota.
   *
   * @throws RateLimitExceededException if they do not fit in what is left today; nothing is charged
   */
  public void chargeCharacters(UUID userId, long characters) {
    if (!properties.enabled() || characters <= 0) {
      return;
    }
    long limit = limits.limitsOf(userId).charactersPerDay();
    Instant now = clock.instant();
    LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
    long untilMidnight = untilMidnight(now, day);
    List<Long> result;
    try {
      result =
          redis.eval(
              RedisScript.QUOTA,
              List.of(prefix(userId) + "chars:" + day),
              List.of(
                  Long.toString(limit),
                  Long.toString(characters),
                  Long.toString(untilMidnight + Duration.ofDays(1).toSeconds())));
    } catch (RuntimeException e) {
      log.warn("Character quota unavailable, letting the call through: {}", e.toString());
      metrics.limitFailedOpen("quota");
      return;
    }
    if (result.get(0) != 1) {
      throw quotaRefusal(limit, result.get(1), characters, untilMidnight);
    }
    record(userId, 0, characters, 0);
  }

  private static long untilMidnight(Instant now, LocalDate day) {
    return Duration.between(now, day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant())
        .toSeconds();
  }

  private static RateLimitExceededException quotaRefusal(
      long limit, long used, long characters, long untilMidnight) {
    return new RateLimitExceededException(
        Kind.CHARACTERS_PER_DAY,
        new Decision(false, limit, Math.max(0, limit - used), untilMidnight, untilMidnight + 1),
        "This text is "
            + characters
            + " characters; "
            + Math.max(0, limit - used)
            + " of your daily quota of "
            + limit
            + " characters are left. The quota resets at 00:00 UTC.");
  }

  /**
   * The user's daily character quota and what is charged of it today, read without charging; empty
   * when limits are off or Redis cannot answer.
   */
  public Optional<Quota> quota(UUID userId) {
    if (!properties.enabled()) {
      return Optional.empty();
    }
    long limit = limits.limitsOf(userId).charactersPerDay();
    LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    try {
      String used = redis.sync().get(prefix(userId) + "chars:" + day);
      return Optional.of(new Quota(limit, used == null ? 0 : Math.max(0, Long.parseLong(used))));
    } catch (RuntimeException e) {
      log.warn("Character quota unreadable: {}", e.toString());
      return Optional.empty();
    }
  }

  /** A user's characters per UTC day, and those charged today. */
  public record Quota(long charactersPerDay, long usedToday) {}

  /**
   * Charges characters to the user's daily quota, to be given back when the charge is closed unless
   * it is kept ({@link QuotaCharge}).
   *
   * @throws RateLimitExceededException if they do not fit in what is left today; nothing is charged
   */
  public QuotaCharge charge(UUID userId, long characters) {
    chargeCharacters(userId, characters);
    return new QuotaCharge(this, userId, characters);
  }

  /** Gives characters back to today's quota when a charged request was refused after all. */
  public void refundCharacters(UUID userId, long characters) {
    refundCharacters(userId, characters, clock.instant());
  }

  /**
   * Gives back characters charged at {@code chargedAt}, for a request that ended up costing nothing
   * (a job found to have nothing to speak). Only today's quota is given back to: a past day's no
   * longer limits anything.
   */
  public void refundCharacters(UUID userId, long characters, Instant chargedAt) {
    if (!properties.enabled() || characters <= 0) {
      return;
    }
    LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (!LocalDate.ofInstant(chargedAt, ZoneOffset.UTC).equals(day)) {
      return;
    }
    try {
      redis.sync().decrby(prefix(userId) + "chars:" + day, characters);
    } catch (RuntimeException e) {
      log.warn("Could not refund {} characters to user {}: {}", characters, userId, e.toString());
    }
    record(userId, 0, -characters, 0);
  }

  private void record(UUID userId, long requests, long characters, long refused) {
    if (audit != null) {
      audit.record(userId, requests, characters, refused);
    }
  }

  private static String prefix(UUID userId) {
    return "{rl:" + userId + "}:";
  }

  private static long seconds(long millis) {
    return (millis + 999) / 1000;
  }

  private static String keyHash(String apiKey) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
