package dev.ttsapi.worker;

import java.util.concurrent.Semaphore;

/**
 * The slot a running job holds (one permit of its lane's semaphore). A job that only waits, a
 * duplicate waiting for another worker to make the same audio, gives it back so the slot runs
 * another job meanwhile, and takes one again before it does work of its own. The dispatcher gives
 * back whatever is still held when the job ends. Used by the job's own thread only.
 */
final class Slot {

  private final Semaphore slots;
  private boolean held = true;

  Slot(Semaphore slots) {
    this.slots = slots;
  }

  boolean held() {
    return held;
  }

  /** Frees the slot for the next job; nothing if it is not held. */
  void giveBack() {
    if (held) {
      held = false;
      slots.release();
    }
  }

  /** Waits for a free slot (behind the read loops already waiting: the semaphore is fair). */
  void takeAgain() throws InterruptedException {
    if (!held) {
      slots.acquire();
      held = true;
    }
  }
}
