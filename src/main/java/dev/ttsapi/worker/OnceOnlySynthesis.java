package dev.ttsapi.worker;

import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.cache.SingleFlight;
import dev.ttsapi.cache.SingleFlight.Lease;
import dev.ttsapi.queue.QueueProperties;
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

  OnceOnlySynthesis(
      SynthesisPipeline pipeline,
      SingleFlight singleFlight,
      JobLifecycle lifecycle,
      AudioStore store,
      QueueProperties queue) {
    this.pipeline = pipeline;
    this.singleFlight = singleFlight;
    this.lifecycle = lifecycle;
    this.store = store;
    // As long as a job may run before it counts as dead: the lease never outlives its holder by
    // more than that.
    this.leaseTtl = queue.visibilityTimeout();
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
        try {
          Completion made = pipeline.run(request, progress);
          // Indexed before the lease goes, so a waiting job finds it the moment it looks.
          lifecycle.audioStored(request, made);
          return made;
        } finally {
          singleFlight.release(lease.get());
        }
      }
      waitWhileHeld(key);
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
