package dev.ttsapi.observability;

/**
 * A hot path a feature runs again and again before its node reports ready ({@link WarmUp}), so the
 * JIT has compiled it by the time the first users come: the first seconds after ready then run near
 * the steady rate instead of at a third of it. A step must leave nothing behind that a user could
 * see: no rows (it writes inside a transaction it rolls back), no Redis keys, no usage or quota
 * charged, no queue entries, no status events, no webhooks, no request metrics.
 */
public interface WarmUpStep {

  /** What the step runs, for the log. */
  String name();

  /**
   * Runs the path once. Called from several threads at once, as often as the warm-up's time allows.
   * An exception ends this step's warm-up (logged once), never the node's start.
   */
  void runOnce();
}
