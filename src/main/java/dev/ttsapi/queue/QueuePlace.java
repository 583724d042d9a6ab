package dev.ttsapi.queue;

/**
 * Where a queued job stands, read without changing anything ({@link QueueInspector#place}).
 *
 * @param held true if the per-user cap holds it back outside the streams
 * @param aheadInPriority jobs waiting ahead of it in its priority's stream (not yet taken by a
 *     worker); for a held job, every job waiting in that stream. Counted up to the inspector's scan
 *     limit: with {@code atLeast} set, there are at least this many
 * @param aheadOfUser the user's own jobs it waits for: those ahead of it in the stream, or, for a
 *     held job, the user's jobs in the streams (waiting or running) and the held ones that move in
 *     before it
 * @param waitingInHigherPriorities jobs waiting in the higher priorities' streams of its partition,
 *     which workers take first
 * @param atLeast true if a scan limit was reached, so the counts are lower bounds
 */
public record QueuePlace(
    boolean held,
    long aheadInPriority,
    long aheadOfUser,
    long waitingInHigherPriorities,
    boolean atLeast) {

  /** A job no worker has taken yet that the queue does not hold (lost; the sweeper requeues it). */
  public static final QueuePlace UNKNOWN = new QueuePlace(false, 0, 0, 0, false);
}
