package dev.ttsapi.cache;

import dev.ttsapi.redis.Redis;
import dev.ttsapi.redis.RedisScript;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;

/**
 * One synthesis per piece of audio at a time, across every worker node: whoever holds the lease for
 * a content key synthesizes it; the others wait for the lease to go and then find the audio stored.
 * The lease is short and renewed by its holder while it works, so a holder that dies only delays
 * the others until the lease runs out.
 */
@Component
public class SingleFlight {

  private final Redis redis;

  SingleFlight(Redis redis) {
    this.redis = redis;
  }

  /** A held lease on one content key. */
  public record Lease(String key, String token) {}

  /**
   * No hash tag: each lease is one key touched alone, and every job takes one, so on a Redis
   * Cluster they spread over all masters instead of loading the master of {@code {tts}} with every
   * job.
   */
  public static String leaseKey(String contentKey) {
    return "tts_synth:" + contentKey;
  }

  /** The lease on {@code contentKey}, if nobody holds it now. */
  public Optional<Lease> tryAcquire(String contentKey, Duration ttl) {
    return Redis.await(tryAcquireAsync(contentKey, ttl));
  }

  /**
   * {@link #tryAcquire}, sent without waiting, so the caller can do something else meanwhile (a
   * worker starts the job in PostgreSQL).
   */
  public CompletableFuture<Optional<Lease>> tryAcquireAsync(String contentKey, Duration ttl) {
    String key = leaseKey(contentKey);
    String token = UUID.randomUUID().toString();
    return redis
        .async()
        .set(key, token, SetArgs.Builder.nx().px(ttl.toMillis()))
        .toCompletableFuture()
        .thenApply(ok -> "OK".equals(ok) ? Optional.of(new Lease(key, token)) : Optional.empty());
  }

  /** Whether someone holds the lease on {@code contentKey} now. */
  public boolean held(String contentKey) {
    return redis.sync().exists(leaseKey(contentKey)) > 0;
  }

  /**
   * Extends the lease to {@code ttl} from now if it is still ours; a holder that keeps working
   * renews it well before it runs out, so the lease can be short and a dead holder's goes soon.
   */
  public boolean renew(Lease lease, Duration ttl) {
    Long renewed =
        redis.eval(
            RedisScript.RENEW_IF_OWNER,
            List.of(lease.key()),
            List.of(lease.token(), Long.toString(ttl.toMillis())));
    return renewed != null && renewed == 1L;
  }

  /** Deletes the lease only if it is still ours (it may have expired and been taken since). */
  public void release(Lease lease) {
    Redis.await(releaseAsync(lease));
  }

  /**
   * {@link #release}, sent without waiting, so it shares a round trip with the caller's other Redis
   * commands of the same moment (a job's completion: its status, its acknowledgement).
   */
  public CompletableFuture<Long> releaseAsync(Lease lease) {
    return redis.evalAsync(
        RedisScript.RELEASE_IF_OWNER, List.of(lease.key()), List.of(lease.token()));
  }
}
