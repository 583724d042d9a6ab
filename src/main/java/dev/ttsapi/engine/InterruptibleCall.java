package dev.ttsapi.engine;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs a remote engine's blocking HTTP call so that interrupting the caller ends it at once.
 * Synthesis runs on platform threads, where an interrupt does not stop a blocked socket read: an
 * interrupted call waited for the server's answer, up to the engine's timeout (a minute), and then
 * the SDK's retry could throw a bare {@link InterruptedException} and lose the interrupt. On a
 * virtual thread an interrupt closes the socket the thread is blocked on, so the call is run on one
 * and interrupted with its caller.
 */
public final class InterruptibleCall {

  /** How long an interrupted call may take to end; a closed socket ends it at once. */
  private static final Duration STOPPING = Duration.ofSeconds(5);

  private InterruptibleCall() {}

  /** Blocking work that may throw {@code E}. */
  @FunctionalInterface
  public interface Blocking<T, E extends Exception> {
    T run() throws E;
  }

  /**
   * Runs {@code call} and returns what it returns, or throws what it throws.
   *
   * @param what what the caller waits for, for the message ({@code "Gemini's answer"})
   * @throws SynthesisException when the caller is interrupted: the call has been interrupted and
   *     has ended (or been given a few seconds to), and the caller's interrupt status is kept
   */
  public static <T, E extends Exception> T run(String what, Blocking<T, E> call) throws E {
    FutureTask<T> task = new FutureTask<>(call::run);
    Thread thread = Thread.ofVirtual().name("remote-call").start(task);
    try {
      return task.get();
    } catch (InterruptedException e) {
      thread.interrupt();
      awaitEnd(thread);
      Thread.currentThread().interrupt();
      throw new SynthesisException("interrupted while waiting for " + what, e);
    } catch (ExecutionException e) {
      throw InterruptibleCall.<E>rethrow(e.getCause());
    }
  }

  /** Waits, not interruptibly, for the interrupted call to end, so it is not left running. */
  private static void awaitEnd(Thread thread) {
    long deadline = System.nanoTime() + STOPPING.toNanos();
    boolean interrupted = false;
    while (thread.isAlive() && System.nanoTime() < deadline) {
      try {
        thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } catch (InterruptedException again) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The call's own exception, as it threw it: unchecked ones as they are, checked ones as E. */
  @SuppressWarnings("unchecked")
  private static <E extends Exception> E rethrow(Throwable cause) throws E {
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    throw (E) cause;
  }
}
