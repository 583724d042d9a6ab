package dev.ttsapi.queue;

/**
 * What became of a job offered to the queue under the per-user cap ({@link QueueProducer#admit}).
 */
public enum Admission {
  /** In its priority's stream: the user had fewer than the cap there. */
  QUEUED,
  /** Held back: the user has the cap's worth in the streams; it goes in as one of them ends. */
  HELD,
  /** It already held a place in the streams, but its entry was lost: added again. */
  REQUEUED;

  static Admission fromScript(long code) {
    return switch ((int) code) {
      case 1 -> QUEUED;
      case 2 -> REQUEUED;
      default -> HELD;
    };
  }
}
