package dev.ttsapi.worker;

import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.cache.SingleFlight;
import dev.ttsapi.cache.SingleFlight.Lease;
import dev.ttsapi.observability.TtsMetrics;
import dev.ttsapi.redis.Redis;
import dev.ttsapi.request.Completion;
import dev.ttsapi.request.JobLifecycle;
import dev.ttsapi.request.TtsRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Identical work done once: identical requests in flight at the same time, on any node, cause one
 * synthesis. The first job to take the content key's lease synthesizes; the lease is released only
 * once that job has completed (its audio indexed, see {@link JobProcessor}). The others wait for
 * the lease to go, without holding a slot (up to {@link #WAITING_PER_SLOT} per slot; beyond that in
 * their slot, as before), and complete from the stored audio. If the holder failed, or its worker
 * died and its lease ran out, the next one in line takes a slot and the lease and synthesizes
 * itself. A waiting job stays in flight (its queue entry claimed and renewed), so if its own worker
 * dies it is taken over like any running job.
 */
@Component
class OnceOnlySynthesis {

  private static final Logger log = LoggerFactory.getLogger(OnceOnlySynthesis.class);

  /**
   * How often a job waiting for a lease held on another node looks whether it is gone; a holder on
   * this node wakes its waiters itself when it releases.
   */
  private static final Duration WAIT_STEP = Duration.ofMillis(50);

  /**
   * Jobs that wait without a slot, per slot: each is a virtual thread and an entry whose claim is
   * renewed, so they are bounded; past the bound a duplicate waits in its slot.
   */
  static final int WAITING_PER_SLOT = 4;

  private final SynthesisPipeline pipeline;
  private final SingleFlight singleFlight;
  private final JobLifecycle lifecycle;
  private final AudioStore store;
  private final Duration leaseTtl;
  private final Duration renewEvery;
  private final Semaphore waitingPlaces;
  private final int waitingBound;

  /** Leases held by jobs of this node, completed when released: their waiters here wake at once. */
  private final Map<String, CompletableFuture<Void>> releasedHere = new ConcurrentHashMap<>();

  OnceOnlySynthesis(
      SynthesisPipeline pipeline,
      SingleFlight singleFlight,
      JobLifecycle lifecycle,
      AudioStore store,
      WorkerProperties worker,
      TtsMetrics metrics) {
    this.pipeline = pipeline;
    this.singleFlight = singleFlight;
    this.lifecycle = lifecycle;
    this.store = store;
    // As long as a worker's heartbeat: renewed while the holder works, so a killed holder's lease
    // goes about when its jobs are taken over, and the job taken over does not wait behind it.
    this.leaseTtl = worker.heartbeatTtl();
    this.renewEvery = worker.heartbeatInterval();
    this.waitingBound = WAITING_PER_SLOT * worker.effectiveSlots();
    this.waitingPlaces = new Semaphore(waitingBound);
    metrics.waitingDuplicates(() -> waitingBound - waitingPlaces.availablePermits(), waitingBound);
  }

  /**
   * The job's audio: found stored, or made by this job. In the second case the content key's lease
   * is still held, and the caller releases it once the request has completed.
   *
   * @param slot the job's slot, given back while it waits for another job's synthesis
   * @param asked the lease asked for as the job was taken ({@link #askEarly})
   */
  Made run(TtsRequest request, DoubleConsumer progress, Slot slot, AskedEarly asked)
      throws IOException {
    String key = request.contentKey();
    // the lease asked for while the job started; used up by the first turn of the loop
    Optional<Lease> early = asked.answer(key);
    while (true) {
      Optional<Lease> lease;
      try {
        Optional<Completion> done = stored(request);
        if (done.isPresent()) {
          return new Made(done.get(), null, 0, 0);
        }
        takeSlot(slot);
        lease = early.isPresent() ? early : singleFlight.tryAcquire(key, leaseTtl);
        early = Optional.empty();
      } finally {
        // not used (the audio was found, or this failed): nobody else may be kept waiting by it
        early.ifPresent(this::releaseLater);
      }
      if (lease.isPresent()) {
        HeldLease held = hold(lease.get());
        try {
          long engineStarted = System.nanoTime();
          Completion made = pipeline.run(request, progress);
          return new Made(made, held, engineStarted, System.nanoTime());
        } catch (IOException | RuntimeException | Error e) {
          held.close();
          throw e;
        }
      }
      waitWhileHeld(key, slot);
    }
  }

  /**
   * Asks for the lease on a job's content key as the job is taken, before it is started, when its
   * queue entry carries the key: the answer comes back while PostgreSQL starts the job, instead of
   * costing a Redis round trip of its own after the start. Nothing is asked for an entry without
   * the key; the job then asks after its start, as before.
   */
  AskedEarly askEarly(String contentKey) {
    CompletableFuture<Optional<Lease>> asked;
    try {
      asked =
          contentKey == null
              ? CompletableFuture.completedFuture(Optional.empty())
              : singleFlight.tryAcquireAsync(contentKey, leaseTtl);
    } catch (RuntimeException e) {
      // Redis away: the job asks again after its start, which deals with it
      asked = CompletableFuture.completedFuture(Optional.empty());
    }
    return new AskedEarly(asked);
  }

  /**
   * A lease asked for before the job started. It is handed over once: to the job's first {@link
   * #run} (a run repeated after a store outage asks for the lease itself), or, if the job does not
   * get as far as synthesizing, released by {@link #giveUp}. A lease taken early is never left
   * held. Used by the job's own thread only.
   */
  final class AskedEarly {

    private final CompletableFuture<Optional<Lease>> asked;
    private boolean handedOver;

    private AskedEarly(CompletableFuture<Optional<Lease>> asked) {
      this.asked = asked;
    }

    /**
     * The lease, the first time, if it was taken and is the one on {@code key} (the row's content
     * key, which the entry's always matches unless the entry was tampered with); otherwise empty,
     * and the job asks again itself.
     */
    private Optional<Lease> answer(String key) {
      if (handedOver) {
        return Optional.empty();
      }
      handedOver = true;
      Optional<Lease> lease;
      try {
        lease = Redis.await(asked);
      } catch (RuntimeException e) {
        return Optional.empty();
      }
      if (lease.isPresent() && !lease.get().key().equals(SingleFlight.leaseKey(key))) {
        releaseLater(lease.get());
        return Optional.empty();
      }
      return lease;
    }

    /** Releases the lease, if it was taken and not handed over: the job will not synthesize. */
    void giveUp() {
      if (handedOver) {
        return;
      }
      handedOver = true;
      asked.thenAccept(lease -> lease.ifPresent(OnceOnlySynthesis.this::releaseLater));
    }
  }

  /** Sends the lease's release without waiting; if it fails, the lease runs out with its TTL. */
  private void releaseLater(Lease lease) {
    try {
      singleFlight
          .releaseAsync(lease)
          .exceptionally(
              e -> {
                log.warn("Lease {} not released: {}", lease.key(), e.toString());
                return 0L;
              });
    } catch (RuntimeException e) {
      log.warn("Lease {} not released: {}", lease.key(), e.toString());
    }
  }

  /**
   * What a job's synthesis gave: the audio, and if this job made it the lease (else null) and when
   * (System.nanoTime) the pipeline started and ended.
   */
  record Made(Completion completion, HeldLease lease, long engineStarted, long engineEnded) {

    /** Releases the lease, if any, and waits for Redis. */
    void releaseLease() {
      if (lease != null) {
        lease.close();
      }
    }
  }

  /**
   * A lease this node holds, renewed until released. Released after its job completed, in the same
   * round trip as the job's last Redis commands ({@link #releaseAsync}), or on any failure ({@link
   * #close}); releasing twice does nothing.
   */
  final class HeldLease implements AutoCloseable {

    private final Lease lease;
    private final Thread renewer;
    private final CompletableFuture<Void> released = new CompletableFuture<>();
    private boolean releasing;

    private HeldLease(Lease lease) {
      this.lease = lease;
      this.renewer = Thread.ofVirtual().name("lease-renewer").start(() -> keepRenewing(lease));
    }

    /** Sends the release without waiting; null if it was released already. */
    CompletableFuture<Long> releaseAsync() {
      if (releasing) {
        return null;
      }
      releasing = true;
      renewer.interrupt();
      return singleFlight
          .releaseAsync(lease)
          .whenComplete(
              (deleted, failure) -> {
                // Waiters here wake now, even if Redis failed: they look at the lease themselves.
                releasedHere.remove(contentKey(), released);
                released.complete(null);
              });
    }

    private String contentKey() {
      return lease.key().substring(lease.key().indexOf(':') + 1);
    }

    @Override
    public void close() {
      CompletableFuture<Long> release = releaseAsync();
      if (release == null) {
        return;
      }
      try {
        Redis.await(release);
      } catch (RuntimeException e) {
        // The lease runs out by itself within its TTL; a waiter then finds the audio or makes it.
        log.warn("Lease {} not released: {}", lease.key(), e.toString());
      }
    }
  }

  private HeldLease hold(Lease lease) {
    HeldLease held = new HeldLease(lease);
    releasedHere.put(held.contentKey(), held.released);
    return held;
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

  private static void takeSlot(Slot slot) throws IOException {
    try {
      slot.takeAgain();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for a slot", e);
    }
  }

  /**
   * Waits until nobody holds the lease on {@code key}: off its slot when a waiting place is free,
   * else in it.
   */
  private void waitWhileHeld(String key, Slot slot) throws IOException {
    boolean offSlot = waitingPlaces.tryAcquire();
    if (offSlot) {
      slot.giveBack();
    }
    try {
      while (singleFlight.held(key)) {
        CompletableFuture<Void> here = releasedHere.get(key);
        if (here != null) {
          try {
            here.get(WAIT_STEP.toMillis(), TimeUnit.MILLISECONDS);
          } catch (TimeoutException | ExecutionException stillHeld) {
            // look again
          }
        } else {
          Thread.sleep(WAIT_STEP);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while another worker made the same audio", e);
    } finally {
      if (offSlot) {
        waitingPlaces.release();
      }
    }
  }
}
