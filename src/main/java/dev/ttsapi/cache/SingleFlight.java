package dev.ttsapi.cache;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * One synthesis per piece of audio at a time, across every worker node: whoever holds the lease for
 * a content key synthesizes it; the others wait for the lease to go and then find the audio stored.
 * The lease expires by itself, so a holder that dies only delays the others.
 */
@Component
public class SingleFlight {

  /** Deletes the lease only if it is still ours (it may have expired and been taken since). */
  private static final String RELEASE =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

  private final StatefulRedisConnection<String, String> redis;

  SingleFlight(StatefulRedisConnection<String, String> redis) {
    this.redis = redis;
  }

  /** A held lease on one content key. */
  public record Lease(String key, String token) {}

  static String leaseKey(String contentKey) {
    return "{tts}:synth:" + contentKey;
  }

  /** The lease on {@code contentKey}, if nobody holds it now. */
  public Optional<Lease> tryAcquire(String contentKey, Duration ttl) {
    String key = leaseKey(contentKey);
    String token = UUID.randomUUID().toString();
    String ok = redis.sync().set(key, token, SetArgs.Builder.nx().px(ttl.toMillis()));
    return "OK".equals(ok) ? Optional.of(new Lease(key, token)) : Optional.empty();
  }

  /** Whether someone holds the lease on {@code contentKey} now. */
  public boolean held(String contentKey) {
    return redis.sync().exists(leaseKey(contentKey)) > 0;
  }

  public void release(Lease lease) {
    redis.sync().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {lease.key()}, lease.token());
  }
}
