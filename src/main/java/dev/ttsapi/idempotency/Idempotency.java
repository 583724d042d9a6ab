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
import java.util.UUID;
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
 * <p>While Redis is unreachable no action runs: {@link IdempotencyUnavailableException} (a 503 with
 * Retry-After). Once an action has run, its answer is returned even if Redis fails to keep it.
 *
 * <p>If the action fails, the claim is released so a retry can run it again. If the node dies
 * mid-action the claim expires after the wait timeout's double, never blocking the key for a day.
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
  private final IdempotencyProperties properties;

  Idempotency(Redis redis, IdempotencyProperties properties) {
    this.redis = redis;
    this.properties = properties;
  }

  /**
   * Runs {@code action} if this is the first call with the key, else replays the first answer.
   *
   * @param fingerprint what makes two bodies "the same" (e.g. their canonical JSON)
   * @param action does the work and returns the answer to remember, as a string
   * @throws IdempotencyKeyReusedException the key was used with another fingerprint
   * @throws IdempotencyKeyInProgressException a call with the key is still running after the wait
   */
  public Outcome once(UUID userId, String key, String fingerprint, Supplier<String> action) {
    String redisKey = "idem:{" + userId + "}:" + sha256(key);
    String fp = sha256(fingerprint);
    String claim = PENDING + ":" + fp + ":" + UUID.randomUUID();
    Instant deadline = Instant.now().plus(properties.waitTimeout());
    while (true) {
      if (claimed(redisKey, claim)) {
        return new Outcome(runClaimed(redisKey, claim, fp, action), false);
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

  private String runClaimed(String redisKey, String claim, String fp, Supplier<String> action) {
    String answer;
    try {
      answer = action.get();
    } catch (RuntimeException e) {
      release(redisKey, claim);
      throw e;
    }
    try {
      redis
          .sync()
          .set(
              redisKey,
              DONE + ":" + fp + ":" + answer,
              SetArgs.Builder.px(properties.ttl().toMillis()));
    } catch (RuntimeException e) {
      // The work is done (the request is accepted): its answer is the client's, whatever Redis
      // says. Until the claim expires a repeat waits and gets a 409; after that a repeat runs
      // again.
      log.warn("Could not keep the answer of an Idempotency-Key in Redis: {}", e.toString());
    }
    return answer;
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
