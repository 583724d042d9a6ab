package dev.ttsapi.request;

import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.observability.TtsMetrics;
import dev.ttsapi.queue.Job;
import dev.ttsapi.queue.QueueProducer;
import dev.ttsapi.redis.Redis;
import dev.ttsapi.request.RequestRepository.CachedAudio;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * A request's life on the API side: accept it (one INSERT, one pipelined Redis round trip, no
 * synthesis), report its status, list and cancel. Workers drive the rest through {@link
 * JobLifecycle}.
 */
@Service
public class RequestService {

  private static final Logger log = LoggerFactory.getLogger(RequestService.class);

  private final RequestRepository repository;
  private final AudioCacheHits cacheHits;
  private final StatusStore statusStore;
  private final QueueProducer queue;
  private final AudioStore audioStore;
  private final RequestProperties properties;
  private final RequestIds ids;
  private final Clock clock;
  private final TtsMetrics metrics;

  RequestService(
      RequestRepository repository,
      AudioCacheHits cacheHits,
      StatusStore statusStore,
      QueueProducer queue,
      AudioStore audioStore,
      RequestProperties properties,
      Clock clock,
      TtsMetrics metrics) {
    this.metrics = metrics;
    this.repository = repository;
    this.cacheHits = cacheHits;
    this.statusStore = statusStore;
    this.queue = queue;
    this.audioStore = audioStore;
    this.properties = properties;
    this.ids = new RequestIds(clock);
    this.clock = clock;
  }

  /**
   * Accepts a request. Audio that is already stored answers it at once; otherwise it is written to
   * PostgreSQL (the truth) and then queued. If Redis fails after the INSERT, the request is still
   * accepted: the sweeper queues it later.
   */
  public Accepted submit(Submission submission) {
    Utterance utterance = submission.utterance();
    UUID userId = submission.userId();
    String contentKey =
        ContentKey.of(
            properties.audioCache() == AudioCacheScope.PER_USER ? userId : null,
            utterance.voice().id(),
            utterance.engineVersion(),
            utterance.settings().speed(),
            utterance.settings().pitch(),
            utterance.format().extension(),
            utterance.sampleRate(),
            utterance.text());
    TtsRequest.Speech speech =
        new TtsRequest.Speech(
            utterance.text(),
            utterance.language(),
            utterance.voiceRequested(),
            utterance.voice().id(),
            utterance.settings().speed(),
            utterance.settings().pitch(),
            utterance.format(),
            utterance.sampleRate(),
            contentKey);
    UUID id = ids.next();
    Optional<CachedAudio> cached = cachedAudio(contentKey);
    // Saying "cache hit" for audio another user asked for would tell this one what they asked.
    boolean reportHit =
        cached.isPresent()
            && (properties.audioCache() == AudioCacheScope.PER_USER
                || repository.askedBefore(userId, contentKey));
    TtsRequest request =
        cached
            .map(
                c ->
                    TtsRequest.fromCache(
                        id, userId, submission.priority(), speech, c.bytes(), c.durationMs()))
            .orElseGet(() -> TtsRequest.queued(id, userId, submission.priority(), speech));
    repository.insert(request);
    metrics.received(request.voice(), request.cacheHit());
    publish(request);
    return new Accepted(request, reportHit);
  }

  /**
   * An accepted request.
   *
   * @param cacheHit whether to tell the caller it was answered from stored audio: only when it is
   *     audio they asked for before ({@link TtsRequest#cacheHit} says whether it was, whoever
   *     asked)
   */
  public record Accepted(TtsRequest request, boolean cacheHit) {}

  private Optional<CachedAudio> cachedAudio(String contentKey) {
    Optional<CachedAudio> cached = cacheHits.take(contentKey);
    if (cached.isPresent() && audioStore.find(contentKey).isEmpty()) {
      log.warn("Audio {} is indexed but missing from the store; synthesizing it again", contentKey);
      repository.forgetCachedAudio(contentKey);
      return Optional.empty();
    }
    return cached;
  }

  /**
   * Queues the job and writes its status hash in one round trip. The job goes into its stream
   * unless its user already has the per-user cap's worth there; then it is held back and moves in
   * as one of theirs ends ({@link QueueProducer#admit}). Either way it is queued.
   */
  private void publish(TtsRequest request) {
    try {
      List<Future<?>> pending = new ArrayList<>();
      pending.add(statusStore.writeAsync(StatusSnapshot.of(request)));
      if (request.status() == RequestStatus.QUEUED) {
        pending.add(
            queue.admitAsync(
                new Job(request.id(), request.createdAt(), request.priority(), request.userId())));
      }
      for (Future<?> future : pending) {
        Redis.await(future);
      }
    } catch (RuntimeException e) {
      log.warn(
          "Request {} is stored but could not be queued in Redis ({}); the sweeper will queue it",
          request.id(),
          e.toString());
    }
  }

  /**
   * The status of the caller's request, from Redis or else PostgreSQL (a read replica that has the
   * caller's writes, else the primary).
   */
  public StatusSnapshot status(UUID callerId, boolean admin, String rawId) {
    UUID id = RequestIds.parse(rawId).orElseThrow(() -> new RequestNotFoundException(rawId));
    Optional<StatusSnapshot> fast = Optional.empty();
    try {
      fast = statusStore.read(id);
    } catch (RuntimeException e) {
      log.debug("Status of {} not read from Redis: {}", id, e.toString());
    }
    StatusSnapshot snapshot =
        fast.or(() -> repository.findFor(callerId, id).map(StatusSnapshot::of))
            .orElseThrow(() -> new RequestNotFoundException(id));
    if (!admin && !snapshot.userId().equals(callerId)) {
      throw new RequestNotFoundException(id);
    }
    return snapshot;
  }

  /** The caller's request row (an admin may read any). */
  public TtsRequest get(UUID callerId, boolean admin, String rawId) {
    UUID id = RequestIds.parse(rawId).orElseThrow(() -> new RequestNotFoundException(rawId));
    return repository
        .find(id)
        .filter(r -> admin || r.userId().equals(callerId))
        .orElseThrow(() -> new RequestNotFoundException(id));
  }

  /** A page of the user's requests, newest first, and the cursor of the next page if any. */
  public Page list(UUID userId, RequestStatus status, String cursor, int limit) {
    UUID before = null;
    if (cursor != null && !cursor.isBlank()) {
      before = Cursor.decode(cursor);
    }
    int size = Math.min(Math.max(limit, 1), properties.maxPageSize());
    List<TtsRequest> rows = repository.page(userId, status, before, size + 1);
    boolean more = rows.size() > size;
    List<TtsRequest> items = more ? rows.subList(0, size) : rows;
    String next = more ? Cursor.encode(items.getLast().id()) : null;
    return new Page(items, next);
  }

  public record Page(List<TtsRequest> items, String nextCursor) {}

  /** Cancels a queued request of the caller; anything else is a 409 with its status. */
  public TtsRequest cancel(UUID callerId, boolean admin, String rawId) {
    TtsRequest request = get(callerId, admin, rawId);
    Optional<TtsRequest> done = repository.cancel(request.id(), request.userId(), clock.instant());
    if (done.isEmpty()) {
      RequestStatus now = repository.find(request.id()).map(TtsRequest::status).orElseThrow();
      throw new RequestStateException(
          "Only a queued request can be cancelled; this one is " + now.wireName(), now);
    }
    TtsRequest cancelled = done.get();
    metrics.finished(RequestStatus.CANCELLED.wireName(), cancelled.voice());
    try {
      statusStore.write(StatusSnapshot.of(cancelled));
    } catch (RuntimeException e) {
      log.warn(
          "Status of cancelled request {} not written to Redis: {}", request.id(), e.toString());
    }
    return cancelled;
  }
}
