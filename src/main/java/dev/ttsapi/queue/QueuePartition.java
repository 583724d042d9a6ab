package dev.ttsapi.queue;

import java.util.List;
import java.util.UUID;

/**
 * The Redis keys of one partition of the queue: its three priority streams and the per-user cap's
 * bookkeeping, all under one hash tag, so they live in one Cluster slot and one script can touch
 * them together. A user's jobs always go to the same partition ({@link QueuePartitions#of}), so the
 * cap's scripts stay atomic however many partitions there are.
 *
 * @param index 0 to the number of partitions - 1
 * @param tag the hash tag, braces included: {@code {tts}} for the only partition, else {@code
 *     {tts:<index>}} or {@code {tts:<index>.<k>}} ({@link QueuePartitions#tag})
 */
public record QueuePartition(int index, String tag) {

  /** The stream of one priority. */
  public String stream(Priority priority) {
    return tag + ":q:" + priority.wireName();
  }

  /** The streams, highest priority first. */
  List<String> streams() {
    return List.of(stream(Priority.HIGH), stream(Priority.NORMAL), stream(Priority.LOW));
  }

  /** Request id → user id of every job holding a place in the streams. */
  String admitted() {
    return tag + ":q:admitted";
  }

  /** User id → places the user holds. */
  String admittedCount() {
    return tag + ":q:admitted-count";
  }

  /** Users with held jobs. */
  String holders() {
    return tag + ":q:holders";
  }

  /** Priority → held jobs. */
  String heldCount() {
    return tag + ":q:held-count";
  }

  /** A user's held jobs of one priority, oldest first. */
  String held(UUID user, Priority priority) {
    return tag + ":q:held:" + user + ":" + priority.wireName();
  }

  /**
   * Where each of a user's jobs in the streams stands: request id → "&lt;priority 1..3&gt;
   * &lt;entry id&gt; &lt;n&gt;", n its stream's entries-added count once it was added ({@code
   * redis/queue-entry.lua}). Its fields live as long as the jobs' places, so it holds at most the
   * per-user cap's worth; {@code queue-place.lua} places a job from it without reading the stream.
   */
  String entries(UUID user) {
    return tag + ":q:entries:" + user;
  }

  /**
   * Where each of a user's held jobs stands in its held list: request id → "&lt;priority 1..3&gt;
   * &lt;k&gt;", k one more than the job held before it ({@code redis/queue-entry.lua}); a field
   * goes when its job moves into a stream.
   */
  String heldAt(UUID user) {
    return tag + ":q:held-at:" + user;
  }

  /** A user's held lists, highest priority first. */
  List<String> heldLists(UUID user) {
    return List.of(
        held(user, Priority.HIGH), held(user, Priority.NORMAL), held(user, Priority.LOW));
  }

  /**
   * A worker's heartbeat: present while the worker (a consumer of this partition's streams, by its
   * consumer name) is alive, expiring soon after it dies. One per partition, so it shares the slot
   * of the streams whose entries it vouches for.
   */
  String alive(String consumer) {
    return tag + ":q:alive:" + consumer;
  }

  /** The four keys every per-user cap script starts with (KEYS[1..4]). */
  List<String> capKeys() {
    return List.of(admitted(), admittedCount(), holders(), heldCount());
  }
}
