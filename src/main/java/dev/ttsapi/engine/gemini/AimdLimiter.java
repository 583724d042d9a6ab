package dev.ttsapi.engine.gemini;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Calls in flight towards a rate-limited service, adapted like TCP's congestion window: the limit
 * rises by one for every limit's worth of successes (additive increase) and halves on each overload
 * answer (multiplicative decrease), never below one nor above {@code max}. Callers block in {@link
 * #tryAcquire} while the limit is reached.
 */
final class AimdLimiter {

  private final int max;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition freed = lock.newCondition();
  private int limit;
  private int successes;
  private int inFlight;

  AimdLimiter(int initial, int max) {
    if (initial < 1 || max < initial) {
      throw new IllegalArgumentException("need 1 <= initial <= max: " + initial + ", " + max);
    }
    this.limit = initial;
    this.max = max;
  }

  /** Takes a slot, waiting up to {@code timeout}; false when none was free in time. */
  boolean tryAcquire(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (inFlight >= limit) {
        if (nanos <= 0) {
          return false;
        }
        nanos = freed.awaitNanos(nanos);
      }
      inFlight++;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Gives back a slot taken by {@link #tryAcquire}. */
  void release() {
    lock.lock();
    try {
      inFlight--;
      freed.signal();
    } finally {
      lock.unlock();
    }
  }

  /** The service answered normally: additive increase. */
  void onSuccess() {
    lock.lock();
    try {
      if (++successes >= limit && limit < max) {
        limit++;
        successes = 0;
        freed.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The service said it is overloaded (HTTP 429): multiplicative decrease. */
  void onOverload() {
    lock.lock();
    try {
      limit = Math.max(1, limit / 2);
      successes = 0;
    } finally {
      lock.unlock();
    }
  }

  /** Calls allowed in flight now. */
  int limit() {
    lock.lock();
    try {
      return limit;
    } finally {
      lock.unlock();
    }
  }

  int inFlight() {
    lock.lock();
    try {
      return inFlight;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "AimdLimiter[limit=" + limit() + ", inFlight=" + inFlight() + ", max=" + max + "]";
  }
}
