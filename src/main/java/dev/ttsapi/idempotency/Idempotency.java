package dev.ttsapi.idempotency;

import dev.ttsapi.redis.Redis;
import dev.ttsapi.redis.RedisScript;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Runs an action once per (user, {@code Idempotency-Key}) and replays its answer to every later
 * call with the same key and body, for {@code tts.idempotency.ttl}. State lives in Redis, so it
 * holds across API nodes: {@code SET NX} claims the key with a fingerprint of the body, the first
 * call stores its answer there, and a concurrent second call waits for that answer.
 *
 * <p>Redis alone cannot make the action happen once: the node may die after the action committed
 * and before its answer was kept, and the claim then expires. So the action records the key in
 * PostgreSQL in its own transaction ({@link Claim#record}); a later call that finds the key
 * recorded there rolls back and replays the recorded request instead of making another.
 *
 * <p>While Redis is unreachable no action runs: {@link IdempotencyUnavailableException} (a 503 with
 * Retry-After). Once an action has run, its answer is returned even if Redis fails to keep it.
 *
 * <p>If the action fails, the claim is released so a retry can run it again. If the node dies
 * mid-action the claim expires after the wait timeout's double, never blocking the key for a day; a
 * retry then replays what PostgreSQL recorded, or runs the action if nothing was committed.
 */
@Service
public class Idempotency {

  public static final String HEADER = "Idempotency-Key";

  /** What a key may look like: printable ASCII, as the IETF draft suggests for its values. */
  public static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

  private static final String PENDING = "P";
  private static final String DONE = "D";
  private static final Duration POLL = Duration.ofMillis(50);

  /** The answer an action gave, and whether this call replays it. */
  public record Outcome(String answer, boolean replayed) {}

  private static final Logger log = LoggerFactory.getLogger(Idempotency.class);

  private final Redis redis;
  private final IdempotencyRecords records;
  private final IdempotencyProperties properties;

  Idempotency(Redis redis, IdempotencyRecords records, IdempotencyProperties properties) {
    this.redis = redis;
    this.records = records;
    this.properties = properties;
  }

  /** A call's hold on a key: what its action records in PostgreSQL with the request it makes. */
  public final class Claim {
    private final UUID userId;
    private final String keyHash;
    private final String fingerprint;

    private Claim(UUID userId, String keyHash, String fingerprint) {
      this.userId = userId;
      this.keyHash = keyHash;
      this.fingerprint = fingerprint;
    }

    /**
     * Records that the key made {@code requestId}; to be called in the transaction that writes the
     * request. If an earlier call's record of the key is still live, it throws instead, so that
     * transaction rolls back and {@link #once} answers with the earlier request.
     */
    public void record(UUID requestId, Instant createdAt) {
      Optional<IdempotencyRecords.Recorded> earlier =
          records.record(
              userId,
              keyHash,
              fingerprint,
              requestId,
              createdAt,
              createdAt.minus(properties.ttl()));
      if (earlier.isPresent()) {
        throw new RecordedEarlier(earlier.get());
      }
    }
  }

  /** The key was recorded by an earlier call whose answer Redis no longer holds. */
  private static final class RecordedEarlier extends RuntimeException {
    private final IdempotencyRecords.Recorded recorded;

    RecordedEarlier(IdempotencyRecords.Recorded recorded) {
      super(null, null, false, false);
      this.recorded = recorded;
    }
  }

  /**
   * Runs {@code action} if this is the first call with the key, else replays the first answer.
   *
   * @param fingerprint what makes two bodies "the same" (e.g. their canonical JSON)
   * @param action does the work, calling {@link Claim#record} in its transaction, and returns the
   *     answer to remember, as a string
   * @param answerOf the answer to replay for a request an earlier call recorded with this key and
   *     body, when Redis no longer holds that call's answer (it says what the request is now)
   * @throws IdempotencyKeyReusedException the key was used with another fingerprint
   * @throws IdempotencyKeyInProgressException a call with the key is still running after the wait
   */
  public Outcome once(
      UUID userId,
      String key,
      String fingerprint,
      Function<Claim, String> action,
      Function<UUID, String> answerOf) {
    String keyHash = sha256(key);
    String redisKey = "idem:{" + userId + "}:" + keyHash;
    String fp = sha256(fingerprint);
    String claim = PENDING + ":" + fp + ":" + UUID.randomUUID();
    Instant deadline = Instant.now().plus(properties.waitTimeout());
    while (true) {
      if (claimed(redisKey, claim)) {
        return runClaimed(
            redisKey, claim, fp, () -> action.apply(new Claim(userId, keyHash, fp)), answerOf);
      }
      String existing = read(redisKey);
      if (existing == null) {
        continue; // released or expired between SET and GET: try to claim it again
      }
      String[] parts = existing.split(":", 3);
      if (parts.length < 3 || !parts[1].equals(fp)) {
        throw new IdempotencyKeyReusedException();
      }
      if (parts[0].equals(DONE)) {
        return new Outcome(parts[2], true);
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IdempotencyKeyInProgressException();
      }
      sleep();
    }
  }

  private Outcome runClaimed(
      String redisKey,
      String claim,
      String fp,
      Supplier<String> action,
      Function<UUID, String> answerOf) {
    Outcome outcome;
    try {
      outcome = new Outcome(action.get(), false);
    } catch (RecordedEarlier e) {
      outcome = replayRecorded(e.recorded, redisKey, claim, fp, answerOf);
    } catch (RuntimeException e) {
      release(redisKey, claim);
      throw e;
    }
    keep(redisKey, fp, outcome.answer());
    return outcome;
  }

  private Outcome replayRecorded(
      IdempotencyRecords.Recorded recorded,
      String redisKey,
      String claim,
      String fp,
      Function<UUID, String> answerOf) {
    try {
      if (!recorded.fingerprint().equals(fp)) {
        throw new IdempotencyKeyReusedException();
      }
      log.info(
          "An Idempotency-Key's answer was not in Redis; replaying request {} it made",
          recorded.requestId());
      return new Outcome(answerOf.apply(recorded.requestId()), true);
    } catch (RuntimeException e) {
      release(redisKey, claim);
      throw e;
    }
  }

  private void keep(String redisKey, String fp, String answer) {
    try {
      redis
          .sync()
          .set(
              redisKey,
              DONE + ":" + fp + ":" + answer,
              SetArgs.Builder.px(properties.ttl().toMillis()));
    } catch (RuntimeException e) {
      // The work is done (the request is accepted): its answer is the client's, whatever Redis
      // says. Until the claim expires a repeat waits and gets a 409; after that a repeat finds the
      // key recorded in PostgreSQL and replays the request.
      log.warn("Could not keep the answer of an Idempotency-Key in Redis: {}", e.toString());
    }
  }

  /**
   * Claims the key for this call. Redis unreachable: nothing has run, so the client is told to come
   * back (a 503), never answered with an error after the fact.
   */
  private boolean claimed(String redisKey, String claim) {
    try {
      return "OK"
          .equals(
              redis
                  .sync()
                  .set(
                      redisKey,
                      claim,
                      SetArgs.Builder.nx().px(properties.waitTimeout().toMillis() * 2)));
    } catch (RuntimeException e) {
      throw new IdempotencyUnavailableException(e);
    }
  }

  private String read(String redisKey) {
    try {
      return redis.sync().get(redisKey);
    } catch (RuntimeException e) {
      throw new IdempotencyUnavailableException(e);
    }
  }

  /** Deletes the key only if it still holds this call's own claim. */
  private void release(String redisKey, String claim) {
    try {
      redis.eval(RedisScript.RELEASE_IF_OWNER, List.of(redisKey), List.of(claim));
    } catch (RuntimeException ignored) {
      // the claim expires on its own
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IdempotencyKeyInProgressException();
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
