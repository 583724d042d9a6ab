package dev.ttsapi.queue;

/** Keys of the queue that are not per partition, and the consumer groups. */
public final class QueueKeys {

  private QueueKeys() {}

  /** The consumer group of the stored jobs' streams. */
  public static final String GROUP = "workers";

  /** Jobs that failed for good, with their error; trimmed to {@code dead-letter-max-length}. */
  public static final String DEAD_LETTERS = "{tts}:q:dead";

  /** Streamed ({@code /v1/audio/speech}) jobs for workers, and their consumer group. */
  public static final String LIVE_JOBS = "{tts}:q:live";

  public static final String LIVE_GROUP = "live-workers";
}
