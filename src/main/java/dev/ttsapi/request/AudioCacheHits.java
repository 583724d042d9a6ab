package dev.ttsapi.request;

import dev.ttsapi.request.RequestRepository.CachedAudio;
import dev.ttsapi.runtime.BatchedCounts;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Finds stored audio by content key and counts each hit in {@code audio_cache.hits}, in batches.
 * Counting with an UPDATE per lookup made every submit wait for a WAL flush (a miss too), and made
 * concurrent hits on popular audio queue on that row's lock; the benchmark's cache-hit scenario
 * spent most of its time there. Hits are now added up in memory and written in one statement every
 * {@link #FLUSH_EVERY} and at shutdown.
 */
@Component
class AudioCacheHits extends BatchedCounts<String> {

  static final Duration FLUSH_EVERY = Duration.ofSeconds(5);
  // popular audio is a few thousand keys at most between flushes; more is written early
  private static final int MAX_KEYS = 10_000;

  private final RequestRepository repository;

  AudioCacheHits(RequestRepository repository, TaskScheduler scheduler) {
    super("audio cache hits", 1, FLUSH_EVERY, MAX_KEYS, scheduler);
    this.repository = repository;
  }

  /** Stored audio for a content key, its hit counted. Empty if none was stored. */
  Optional<CachedAudio> take(String contentKey) {
    Optional<CachedAudio> found = repository.findCachedAudio(contentKey);
    if (found.isPresent()) {
      add(contentKey, 1);
    }
    return found;
  }

  /** Counts one hit of stored audio found otherwise (folded into a submit's INSERT). */
  void counted(String contentKey) {
    add(contentKey, 1);
  }

  @Override
  protected void write(Map<String, long[]> counts) {
    Map<String, Long> hits = new TreeMap<>(); // one row-lock order on every node
    counts.forEach((key, n) -> hits.put(key, n[0]));
    repository.addCacheHits(hits);
  }
}
