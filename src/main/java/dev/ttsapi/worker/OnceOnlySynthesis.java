package dev.ttsapi.worker;

import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.cache.SingleFlight;
import dev.ttsapi.cache.SingleFlight.Lease;
import dev.ttsapi.request.Completion;
import dev.ttsapi.request.JobLifecycle;
import dev.ttsapi.request.TtsRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleConsumer;
import org.springframework.stereotype.Component;

/**
 * Identical work done once: identical requests in flight at the same time, on any node, cause one
 * synthesis. The first job to take the content key's lease synthesizes; the others wait for the
 * lease to go and complete from the stored audio. If the holder failed, the next one in line takes
 * the lease and tries itself.
 */
@Component
class OnceOnlySynthesis {

  private static final Duration WAIT_STEP = Duration.ofMillis(200);

  private final SynthesisPipeline pipeline;
  private final SingleFlight singleFlight;
  private final JobLifecycle lifecycle;
  private final AudioStore store;
  private final Duration leaseTtl;
  private final Duration renewEvery;

  OnceOnlySynthesis(
      SynthesisPipeline pipeline,
      SingleFlight singleFlight,
      JobLifecycle lifecycle,
      AudioStore store,
      WorkerProperties worker) {
    this.pipeline = pipeline;
    this.singleFlight = singleFlight;
    this.lifecycle = lifecycle;
    this.store = store;
    // As long as a worker's heartbeat: renewed while the holder works, so a killed holder's lease
    // goes about when its jobs are taken over, and the job taken over does not wait behind it.
    this.leaseTtl = worker.heartbeatTtl();
    this.renewEvery = worker.heartbeatInterval();
  }

  Completion run(TtsRequest request, DoubleConsumer progress) throws IOException {
    String key = request.contentKey();
    while (true) {
      Optional<Completion> done = stored(request);
      if (done.isPresent()) {
        return done.get();
      }
      Optional<Lease> lease = singleFlight.tryAcquire(key, leaseTtl);
      if (lease.isPresent()) {
        Thread renewer =
            Thread.ofVirtual().name("lease-renewer").start(() -> keepRenewing(lease.get()));
        try {
          Completion made = pipeline.run(request, progress);
          // Indexed before the lease goes, so a waiting job finds it the moment it looks.
          lifecycle.audioStored(request, made);
          return made;
        } finally {
          renewer.interrupt();
          singleFlight.release(lease.get());
        }
      }
      waitWhileHeld(key);
    }
  }

  /** Renews the lease until interrupted; a renewal that fails is tried again on the next turn. */
  private void keepRenewing(Lease lease) {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(renewEvery);
        try {
          singleFlight.renew(lease, leaseTtl);
        } catch (RuntimeException e) {
          // Redis away: the lease may run out and another worker make the same audio too, which
          // stores the same object under the same content key; nothing a client sees changes.
        }
      }
    } catch (InterruptedException done) {
      // the holder finished
    }
  }

  private Optional<Completion> stored(TtsRequest request) {
    if (store.find(request.contentKey()).isEmpty()) {
      return Optional.empty();
    }
    return lifecycle.alreadySynthesized(request);
  }

  private void waitWhileHeld(String key) throws IOException {
    try {
      while (singleFlight.held(key)) {
        Thread.sleep(WAIT_STEP);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while another worker made the same audio", e);
    }
  }
}
