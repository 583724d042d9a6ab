package dev.ttsapi.request;

import dev.ttsapi.config.PeriodicTasks;
import dev.ttsapi.request.RequestRepository.CachedAudio;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Finds stored audio by content key and counts each hit in {@code audio_cache.hits}, in batches.
 * Counting with an UPDATE per lookup made every submit wait for a WAL flush (a miss too), and made
 * concurrent hits on popular audio queue on that row's lock; the benchmark's cache-hit scenario
 * spent most of its time there. Hits are now added up in memory and written in one statement every
 * {@link #FLUSH_EVERY} and at shutdown; a failed write is kept for the next one. A node killed with
 * -9 loses at most that interval's counts (a statistic, never a request or its audio).
 */
@Component
class AudioCacheHits extends PeriodicTasks {

  static final Duration FLUSH_EVERY = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(AudioCacheHits.class);

  private final RequestRepository repository;
  private volatile Map<String, LongAdder> pending = new ConcurrentHashMap<>();

  AudioCacheHits(RequestRepository repository, TaskScheduler scheduler) {
    super(scheduler);
    this.repository = repository;
  }

  /** Stored audio for a content key, its hit counted. Empty if none was stored. */
  Optional<CachedAudio> take(String contentKey) {
    Optional<CachedAudio> found = repository.findCachedAudio(contentKey);
    if (found.isPresent()) {
      pending.computeIfAbsent(contentKey, k -> new LongAdder()).increment();
    }
    return found;
  }

  @Override
  protected List<Task> tasks() {
    return List.of(new Task(this::flushQuietly, FLUSH_EVERY));
  }

  /** Writes what is counted at shutdown too, after the timer has stopped. */
  @Override
  public synchronized void stop() {
    super.stop();
    flushQuietly();
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      log.warn("Could not write audio cache hits; kept for the next flush: {}", e.toString());
    }
  }

  /** Writes the counted hits in one statement. */
  synchronized void flush() {
    Map<String, LongAdder> taken = pending;
    if (taken.isEmpty()) {
      return;
    }
    pending = new ConcurrentHashMap<>();
    Map<String, Long> hits = new java.util.TreeMap<>(); // one lock order on every node
    taken.forEach((key, count) -> hits.put(key, count.sum()));
    try {
      repository.addCacheHits(hits);
    } catch (RuntimeException e) {
      hits.forEach((key, n) -> pending.computeIfAbsent(key, k -> new LongAdder()).add(n));
      throw e;
    }
  }
}
