package dev.ttsapi.queue;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Fairness between users: at most {@code perUserMaxJobs} jobs of one user are in the priority
 * streams at once (waiting or running); the user's other jobs are held back in Redis lists of their
 * own, outside the streams, and move in, highest priority and oldest first, as the user's jobs end.
 * Another user's job therefore never queues behind more than the cap's worth of one user's jobs,
 * however many that user has sent.
 *
 * <p>Each admitted job holds a place, a field of the {@value #ADMITTED} hash (request id → user).
 * Every change is one Lua script, so a place is taken together with its stream entry, and released
 * together with the entry's acknowledgement and the promotion of the user's next held job: no crash
 * can fall between them. Releasing a place twice does nothing, so duplicate deliveries cannot free
 * more than one. Whatever Redis loses, the sweeper rebuilds from PostgreSQL through {@link
 * JobQueue#admit}; {@link JobQueue#promoteHeld} recounts the places and the held jobs.
 *
 * <p>All keys share the hash tag {@code {tts}}, so the scripts touch one Cluster slot; the per-user
 * list keys are built inside the scripts from that prefix.
 */
final class PerUserCap {

  /** Request id → user id of every job that holds a place in the streams. */
  static final String ADMITTED = "{tts}:q:admitted";

  /** User id → number of places the user holds (kept by the same scripts as ADMITTED). */
  static final String ADMITTED_COUNT = "{tts}:q:admitted-count";

  /** Users with held jobs. */
  static final String HOLDERS = "{tts}:q:holders";

  /** Priority → number of held jobs. */
  static final String HELD_COUNT = "{tts}:q:held-count";

  /** Prefix of a user's held list per priority: {@code {tts}:q:held:<user>:<priority>}. */
  static final String HELD_PREFIX = "{tts}:q:held:";

  private static final String STREAM_PREFIX = "{tts}:q:";

  private static final String[] COMMON_KEYS = {ADMITTED, ADMITTED_COUNT, HOLDERS, HELD_COUNT};

  // KEYS[1..4] = COMMON_KEYS; ARGV[1] stream key prefix, ARGV[2] held list prefix, ARGV[3] cap.
  // Held list items are "<request id> <created_at>", the two fields of a stream entry.
  private static final String PROMOTE =
      """
      local function promote(user, cap)
        local n = tonumber(redis.call('HGET', KEYS[2], user) or '0')
        local moved, left = 0, 0
        for _, p in ipairs({'high', 'normal', 'low'}) do
          local list = ARGV[2] .. user .. ':' .. p
          while n < cap do
            local item = redis.call('LPOP', list)
            if not item then break end
            -- a count that reaches zero goes, so an idle queue leaves no key behind
            if redis.call('HINCRBY', KEYS[4], p, -1) <= 0 then redis.call('HDEL', KEYS[4], p) end
            local space = string.find(item, ' ', 1, true)
            local id = string.sub(item, 1, space - 1)
            -- a copy of a job already in the streams is dropped, not admitted twice
            if redis.call('HEXISTS', KEYS[1], id) == 0 then
              redis.call('HSET', KEYS[1], id, user)
              n = redis.call('HINCRBY', KEYS[2], user, 1)
              redis.call('XADD', ARGV[1] .. p, '*',
                'request_id', id, 'created_at', string.sub(item, space + 1))
              moved = moved + 1
            end
          end
          left = left + redis.call('LLEN', list)
        end
        if left == 0 then redis.call('SREM', KEYS[3], user) end
        return moved
      end
      """;

  // KEYS[5] the job's stream, KEYS[6] the user's held list of that priority.
  // ARGV[4] request id, ARGV[5] user id, ARGV[6] created_at, ARGV[7] priority.
  private static final String ADMIT =
      """
      local id, user = ARGV[4], ARGV[5]
      if redis.call('HEXISTS', KEYS[1], id) == 1 then
        redis.call('XADD', KEYS[5], '*', 'request_id', id, 'created_at', ARGV[6])
        return 2
      end
      if tonumber(redis.call('HGET', KEYS[2], user) or '0') < tonumber(ARGV[3]) then
        redis.call('HSET', KEYS[1], id, user)
        redis.call('HINCRBY', KEYS[2], user, 1)
        redis.call('XADD', KEYS[5], '*', 'request_id', id, 'created_at', ARGV[6])
        return 1
      end
      redis.call('RPUSH', KEYS[6], id .. ' ' .. ARGV[6])
      redis.call('SADD', KEYS[3], user)
      redis.call('HINCRBY', KEYS[4], ARGV[7], 1)
      return 0
      """;

  // KEYS[5] the entry's stream. ARGV[4] entry id ('' for none), ARGV[5] request id, ARGV[6] group.
  private static final String FINISH =
      PROMOTE
          + """
          if ARGV[4] ~= '' then
            redis.call('XACK', KEYS[5], ARGV[6], ARGV[4])
            redis.call('XDEL', KEYS[5], ARGV[4])
          end
          local user = redis.call('HGET', KEYS[1], ARGV[5])
          if not user then return -1 end
          redis.call('HDEL', KEYS[1], ARGV[5])
          if redis.call('HINCRBY', KEYS[2], user, -1) <= 0 then
            redis.call('HDEL', KEYS[2], user)
          end
          return promote(user, tonumber(ARGV[3]))
          """;

  // Recounts places and held jobs from the hash and lists themselves, then promotes every holder
  // (the cap may have been raised).
  private static final String PROMOTE_ALL =
      PROMOTE
          + """
          local counted = {}
          local flat = redis.call('HGETALL', KEYS[1])
          for i = 2, #flat, 2 do counted[flat[i]] = (counted[flat[i]] or 0) + 1 end
          redis.call('DEL', KEYS[2])
          for user, n in pairs(counted) do redis.call('HSET', KEYS[2], user, n) end
          local moved = 0
          for _, user in ipairs(redis.call('SMEMBERS', KEYS[3])) do
            moved = moved + promote(user, tonumber(ARGV[3]))
          end
          for _, p in ipairs({'high', 'normal', 'low'}) do
            local total = 0
            for _, user in ipairs(redis.call('SMEMBERS', KEYS[3])) do
              total = total + redis.call('LLEN', ARGV[2] .. user .. ':' .. p)
            end
            if total > 0 then
              redis.call('HSET', KEYS[4], p, total)
            else
              redis.call('HDEL', KEYS[4], p)
            end
          end
          return moved
          """;

  private final StatefulRedisConnection<String, String> redis;
  private final int cap;

  PerUserCap(StatefulRedisConnection<String, String> redis, int cap) {
    this.redis = redis;
    this.cap = cap;
  }

  RedisFuture<Long> admitAsync(Job job, UUID userId) {
    String priority = job.priority().wireName();
    return redis
        .async()
        .eval(
            ADMIT,
            ScriptOutputType.INTEGER,
            keys(job.priority().streamKey(), HELD_PREFIX + userId + ":" + priority),
            args(
                job.requestId().toString(),
                userId.toString(),
                job.createdAt().toString(),
                priority));
  }

  /**
   * Drops the entry (if any) and the job's place, and moves the user's next held job in. Returns
   * how many held jobs moved in, or -1 if the job held no place.
   */
  long finish(Priority priority, String entryId, UUID requestId, String group) {
    return redis
        .sync()
        .eval(
            FINISH,
            ScriptOutputType.INTEGER,
            keys(priority.streamKey()),
            args(entryId == null ? "" : entryId, requestId.toString(), group));
  }

  long promoteAll() {
    return redis.sync().eval(PROMOTE_ALL, ScriptOutputType.INTEGER, COMMON_KEYS, args());
  }

  Set<UUID> holders() {
    Set<UUID> users = new HashSet<>();
    for (String user : redis.sync().smembers(HOLDERS)) {
      users.add(UUID.fromString(user));
    }
    return users;
  }

  Map<UUID, UUID> admitted() {
    Map<UUID, UUID> places = new HashMap<>();
    redis
        .sync()
        .hgetall(ADMITTED)
        .forEach((id, user) -> places.put(UUID.fromString(id), UUID.fromString(user)));
    return places;
  }

  RedisFuture<Map<String, String>> heldCountsAsync() {
    return redis.async().hgetall(HELD_COUNT);
  }

  static Map<Priority, Long> heldCounts(Map<String, String> raw) {
    Map<Priority, Long> held = new EnumMap<>(Priority.class);
    for (Priority priority : Priority.values()) {
      String value = raw.get(priority.wireName());
      held.put(priority, value == null ? 0L : Math.max(0L, Long.parseLong(value)));
    }
    return held;
  }

  private static String[] keys(String... more) {
    String[] keys = new String[COMMON_KEYS.length + more.length];
    System.arraycopy(COMMON_KEYS, 0, keys, 0, COMMON_KEYS.length);
    System.arraycopy(more, 0, keys, COMMON_KEYS.length, more.length);
    return keys;
  }

  private String[] args(String... more) {
    String[] args = new String[3 + more.length];
    args[0] = STREAM_PREFIX;
    args[1] = HELD_PREFIX;
    args[2] = Integer.toString(cap);
    System.arraycopy(more, 0, args, 3, more.length);
    return args;
  }
}
