package dev.ttsapi.config;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waits for an asynchronous (Lettuce) result and rethrows its failure unwrapped. */
public final class Await {

  private Await() {}

  public static <T> T result(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for Redis", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
