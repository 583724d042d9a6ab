package dev.ttsapi.worker;

import java.util.Optional;

/**
 * Where one read loop of the {@link JobDispatcher} takes its jobs from, and how each one runs: a
 * partition of the stored jobs' queue, or the live (streamed) jobs. The loop around it is the same
 * for both: a slot taken before each read, backoff while Redis fails, one virtual thread per job.
 */
interface JobSource<J> extends AutoCloseable {

  /**
   * The next job, waiting up to the queue's block timeout; empty if none came.
   *
   * @param slotWanted another loop waits for the slot this read holds: wait only briefly, so an
   *     empty partition does not keep a slot from one with work
   */
  Optional<J> next(boolean slotWanted);

  /**
   * Runs one job to its end, on a thread of its own; failures are the source's to settle.
   *
   * @param slot the slot the job holds: a job that waits without working may give it back meanwhile
   */
  void run(J job, Slot slot);

  /** Jobs this source took from Redis but will not run (the loop is stopping): back with them. */
  default void handBackUnread() {}

  /** Closes the source's connection. */
  @Override
  void close();
}
