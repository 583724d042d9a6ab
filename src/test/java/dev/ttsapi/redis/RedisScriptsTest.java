package dev.ttsapi.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.support.IntegrationTest;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every Lua script of {@code src/main/resources/redis} is loaded and run here, once each at least,
 * on the service's own Redis, with its answer checked; and a script Redis has forgotten (restart,
 * SCRIPT FLUSH) still runs. A script added to {@link RedisScript} without a case here fails the
 * last assertion.
 */
class RedisScriptsTest extends IntegrationTest {

  private final Set<RedisScript> ran = EnumSet.noneOf(RedisScript.class);

  @Test
  void every_script_loads_runs_and_answers_as_its_callers_expect() {
    gcraAllowsTheLimitThenRefuses();
    gcraChargesAWholeBatchOrNothing();
    quotaChargesOnlyWhatFits();
    submitLimitsChargeTheQuotaOnlyWhenTheBudgetAllows();
    statusWriteSetsTheWholeHashAndClearsStaleFields();
    releaseIfOwnerLeavesSomeoneElsesKey();
    renewIfOwnerExtendsOnlyItsOwnLease();
    keepMaxKeepsTheLargerPosition();
    queueScriptsAdmitHoldFinishPromoteAndRecount();

    assertThat(ran).containsExactlyInAnyOrder(RedisScript.values());
  }

  @Test
  void a_script_redis_has_forgotten_is_sent_again_and_runs() {
    redis.sync().scriptFlush();
    try {
      List<Long> answer =
          run(RedisScript.GCRA, List.of("{rl:test}:flushed"), List.of("60000", "5"));

      assertThat(answer.getFirst()).isEqualTo(1L);
      assertThat(redis.sync().scriptExists(RedisScript.GCRA.sha())).containsExactly(true);
    } finally {
      // Leave Redis as a running node would: tests after this one that count the commands on the
      // wire (StatusPollCostTest, SubmitRoundTripsTest) would otherwise see a script's one EVAL.
      redis.loadScripts();
    }
  }

  private void gcraAllowsTheLimitThenRefuses() {
    List<String> keys = List.of("{rl:test}:bucket");
    List<String> args = List.of("60000", "2");
    List<Long> first = run(RedisScript.GCRA, keys, args);
    List<Long> second = run(RedisScript.GCRA, keys, args);
    List<Long> third = run(RedisScript.GCRA, keys, args);
    assertThat(first.getFirst()).isEqualTo(1L);
    assertThat(second.getFirst()).isEqualTo(1L);
    assertThat(third.getFirst()).isZero();
    assertThat(third.get(2)).as("retry after, ms").isPositive();
  }

  private void gcraChargesAWholeBatchOrNothing() {
    List<String> keys = List.of("{rl:test}:batch");
    List<Long> seven = run(RedisScript.GCRA, keys, List.of("60000", "10", "7"));
    List<Long> five = run(RedisScript.GCRA, keys, List.of("60000", "10", "5"));
    List<Long> three = run(RedisScript.GCRA, keys, List.of("60000", "10", "3"));
    assertThat(seven.subList(0, 2)).as("allowed, remaining").containsExactly(1L, 3L);
    assertThat(five.subList(0, 2)).as("refused, room for three").containsExactly(0L, 3L);
    assertThat(three.subList(0, 2)).as("the refusal took nothing").containsExactly(1L, 0L);
  }

  private void quotaChargesOnlyWhatFits() {
    List<String> keys = List.of("{rl:test}:chars");
    List<Long> charged = run(RedisScript.QUOTA, keys, List.of("10", "6", "100"));
    List<Long> refused = run(RedisScript.QUOTA, keys, List.of("10", "6", "100"));
    assertThat(charged).containsExactly(1L, 6L);
    assertThat(refused).containsExactly(0L, 6L);
    assertThat(redis.sync().ttl("{rl:test}:chars")).isBetween(1L, 100L);
  }

  private void submitLimitsChargeTheQuotaOnlyWhenTheBudgetAllows() {
    List<String> keys = List.of("{rl:test}:submit", "{rl:test}:key:ab", "{rl:test}:chars:day");
    // budgets of 2 (the user's) and 5 (the key's) a minute; 10 characters a day
    List<String> six = List.of("60000", "2", "5", "10", "6", "100");
    List<Long> charged = run(RedisScript.SUBMIT_LIMITS, keys, six);
    List<Long> overQuota = run(RedisScript.SUBMIT_LIMITS, keys, six);
    List<Long> overBudget =
        run(RedisScript.SUBMIT_LIMITS, keys, List.of("60000", "2", "5", "10", "1", "100"));
    assertThat(charged).as("allowed, remaining, ..., charged, used").startsWith(1L, 1L);
    assertThat(charged.subList(4, 6)).containsExactly(1L, 6L);
    assertThat(overQuota.getFirst()).as("the budget had room: used").isEqualTo(1L);
    assertThat(overQuota.subList(4, 6)).as("the quota had not").containsExactly(0L, 6L);
    assertThat(overBudget.getFirst()).as("the budget is spent").isZero();
    assertThat(overBudget.get(4)).as("the quota is not asked").isEqualTo(-1L);
    assertThat(redis.sync().get("{rl:test}:chars:day")).isEqualTo("6");
    assertThat(redis.sync().ttl("{rl:test}:chars:day")).isBetween(1L, 100L);
  }

  private void statusWriteSetsTheWholeHashAndClearsStaleFields() {
    String key = "tts_status:" + UUID.randomUUID();
    redis.sync().hset(key, "error", "of an earlier attempt");
    run(
        RedisScript.STATUS_WRITE,
        List.of(key),
        List.of("60", "tts_status_events:test", "{}", "1", "error", "status", "queued"));
    run(RedisScript.STATUS_PROGRESS, List.of(key), List.of("0.5", "id", "tts_status_events:"));
    Map<String, String> hash = redis.sync().hgetall(key);
    assertThat(hash).containsEntry("status", "queued").containsEntry("progress", "0.5");
    assertThat(hash).doesNotContainKey("error");
    assertThat(redis.sync().ttl(key)).isBetween(1L, 60L);
  }

  private void renewIfOwnerExtendsOnlyItsOwnLease() {
    redis.sync().set("renewed-lease", "mine", io.lettuce.core.SetArgs.Builder.px(2000));
    assertThat(
            (Long)
                run(
                    RedisScript.RENEW_IF_OWNER,
                    List.of("renewed-lease"),
                    List.of("theirs", "600000")))
        .isZero();
    assertThat(redis.sync().pttl("renewed-lease")).isLessThanOrEqualTo(2000L);
    assertThat(
            (Long)
                run(
                    RedisScript.RENEW_IF_OWNER,
                    List.of("renewed-lease"),
                    List.of("mine", "600000")))
        .isEqualTo(1L);
    assertThat(redis.sync().pttl("renewed-lease")).isGreaterThan(2000L);
  }

  private void releaseIfOwnerLeavesSomeoneElsesKey() {
    redis.sync().set("lease", "mine");
    assertThat((Long) run(RedisScript.RELEASE_IF_OWNER, List.of("lease"), List.of("theirs")))
        .isZero();
    assertThat(redis.sync().get("lease")).isEqualTo("mine");
    assertThat((Long) run(RedisScript.RELEASE_IF_OWNER, List.of("lease"), List.of("mine")))
        .isEqualTo(1L);
    assertThat(redis.sync().exists("lease")).isZero();
  }

  private void keepMaxKeepsTheLargerPosition() {
    run(RedisScript.KEEP_MAX, List.of("position"), List.of("0005", "60000"));
    run(RedisScript.KEEP_MAX, List.of("position"), List.of("0003", "60000"));
    assertThat(redis.sync().get("position")).isEqualTo("0005");
    run(RedisScript.KEEP_MAX, List.of("position"), List.of("0009", "60000"));
    assertThat(redis.sync().get("position")).isEqualTo("0009");
  }

  /** The per-user cap's scripts on a partition of their own, with a cap of one. */
  private void queueScriptsAdmitHoldFinishPromoteAndRecount() {
    String tag = "{tts-script-test}";
    List<String> cap =
        List.of(
            tag + ":q:admitted",
            tag + ":q:admitted-count",
            tag + ":q:holders",
            tag + ":q:held-count");
    String user = UUID.randomUUID().toString();
    List<String> held =
        List.of(
            tag + ":q:held:" + user + ":high",
            tag + ":q:held:" + user + ":normal",
            tag + ":q:held:" + user + ":low");
    List<String> streams = List.of(tag + ":q:high", tag + ":q:normal", tag + ":q:low");
    String entries = tag + ":q:entries:" + user;
    String heldAt = tag + ":q:held-at:" + user;
    String first = UUID.randomUUID().toString();
    String second = UUID.randomUUID().toString();

    assertThat(admit(cap, streams.get(1), held.get(1), first, user)).isEqualTo(1L);
    assertThat(admit(cap, streams.get(1), held.get(1), second, user)).as("held").isZero();
    assertThat(redis.sync().xlen(streams.get(1))).isEqualTo(1);
    assertThat(redis.sync().llen(held.get(1))).isEqualTo(1);
    assertThat(redis.sync().hget(heldAt, second)).as("numbered in its held list").isEqualTo("2 1");

    List<String> placeKeys =
        concat(concat(concat(cap.subList(0, 2), streams), held), List.of(entries, heldAt));
    assertThat(place(placeKeys, first, user, "2", "2026-12-01T00:00:00Z"))
        .as("first in its stream, nothing ahead")
        .containsExactly(0L, 0L, 0L, 0L, 0L, 2L);
    assertThat(place(placeKeys, second, user, "2", "2026-12-01T00:00:00Z"))
        .as("held: the one job in the stream waits before it, and it is the user's own")
        .containsExactly(1L, 1L, 1L, 0L, 0L, 2L);
    assertThat(place(placeKeys, second, user, "2", "another spelling of the time"))
        .as("a held entry is found by its id too")
        .containsExactly(1L, 1L, 1L, 0L, 0L, 2L);
    String unknown = UUID.randomUUID().toString();
    assertThat(place(placeKeys, unknown, user, "2", "2026-12-01T00:00:00Z"))
        .as("a job the queue does not hold")
        .containsExactly(0L, 0L, 0L, 0L, 0L, 2L);
    assertThat(place(placeKeys, first, user, "0", "2026-12-01T00:00:00Z"))
        .as("in its stream, by the priority its entry remembers")
        .containsExactly(0L, 0L, 0L, 0L, 0L, 2L);
    assertThat(place(placeKeys, second, user, "0", "2026-12-01T00:00:00Z"))
        .as("held, by the priority its held-at field remembers")
        .containsExactly(1L, 1L, 1L, 0L, 0L, 2L);
    assertThat(place(placeKeys, unknown, user, "0", "2026-12-01T00:00:00Z"))
        .as("no priority remembered: the caller asks again, naming it")
        .containsExactly(-1L);

    List<String> recountKeys = concat(cap, held);
    assertThat((Long) run(RedisScript.QUEUE_RECOUNT, recountKeys, List.of(user))).isEqualTo(1L);
    assertThat(redis.sync().hget(cap.get(3), "normal")).isEqualTo("1");
    assertThat((Long) run(RedisScript.QUEUE_RECOUNT, recountKeys, List.of()))
        .as("holders changed since they were read")
        .isEqualTo(-1L);

    assertThat(
            (Long)
                run(
                    RedisScript.QUEUE_PROMOTE,
                    concat(concat(concat(cap, held), streams), List.of(entries, heldAt)),
                    List.of("1", user)))
        .as("the user is at the cap")
        .isZero();

    String entry =
        redis
            .sync()
            .xrange(streams.get(1), io.lettuce.core.Range.create("-", "+"))
            .getFirst()
            .getId();
    Long moved =
        run(
            RedisScript.QUEUE_FINISH,
            concat(
                concat(concat(concat(cap, List.of(streams.get(1))), held), streams),
                List.of(entries, heldAt)),
            List.of("1", entry, first, "workers", user));
    assertThat(moved).as("the held job moves into the freed place").isEqualTo(1L);
    assertThat(redis.sync().hget(cap.get(0), second)).isEqualTo(user);
    assertThat(redis.sync().hexists(cap.get(0), first)).isFalse();
    assertThat(redis.sync().exists(held.get(1))).isZero();
    assertThat(redis.sync().exists(heldAt)).as("no held job left to place").isZero();
    assertThat(redis.sync().hkeys(entries))
        .as("the finished job's entry is forgotten, the promoted one's remembered")
        .containsExactly(second);

    String retried =
        run(
            RedisScript.QUEUE_ENQUEUE,
            List.of(streams.get(1), entries),
            List.of("2", second, "request_id", second, "created_at", "2026-12-01T00:00:00Z"));
    assertThat(redis.sync().hget(entries, second))
        .as("a retry's new entry is remembered with its number")
        .startsWith("2 " + retried + " ");
  }

  private Long admit(List<String> cap, String stream, String heldList, String id, String user) {
    String entries = cap.getFirst().replace(":q:admitted", ":q:entries:" + user);
    String heldAt = cap.getFirst().replace(":q:admitted", ":q:held-at:" + user);
    return run(
        RedisScript.QUEUE_ADMIT,
        concat(cap, List.of(stream, heldList, entries, heldAt)),
        List.of("1", id, user, "2026-12-01T00:00:00Z", "normal"));
  }

  private List<Long> place(
      List<String> keys, String id, String user, String priority, String createdAt) {
    return run(
        RedisScript.QUEUE_PLACE,
        keys,
        List.of(id, user, priority, "1000", "100", "workers", id + " " + createdAt));
  }

  private <T> T run(RedisScript script, List<String> keys, List<String> args) {
    ran.add(script);
    return redis.eval(script, keys, args);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
