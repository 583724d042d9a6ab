package dev.ttsapi.request;

import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.observability.TtsMetrics;
import dev.ttsapi.queue.Job;
import dev.ttsapi.queue.QueueProducer;
import dev.ttsapi.redis.Redis;
import dev.ttsapi.request.RequestRepository.CachedAudio;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

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
  private final TransactionTemplate transactions;
  private final Readmissions readmissions;

  RequestService(
      RequestRepository repository,
      AudioCacheHits cacheHits,
      StatusStore statusStore,
      QueueProducer queue,
      AudioStore audioStore,
      RequestProperties properties,
      Clock clock,
      TtsMetrics metrics,
      TransactionTemplate transactions,
      Readmissions readmissions) {
    this.readmissions = readmissions;
    this.metrics = metrics;
    this.transactions = transactions;
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
   * accepted: it is queued as soon as Redis takes it ({@link Readmissions}).
   */
  public Accepted submit(Submission submission) {
    return submit(submission, AlongsideInsert.NOTHING);
  }

  /** {@link #submit(Submission)}, with {@code alongside} written in the same transaction. */
  public Accepted submit(Submission submission, AlongsideInsert alongside) {
    return submitAll(List.of(submission), alongside).getFirst();
  }

  /**
   * Accepts many requests at once, as {@link #submit} does one: one query finds the stored audio of
   * them all, one transaction inserts them (one JDBC batch) with what goes {@code alongside}, and
   * one pipelined Redis round trip queues them, each under its user's cap. Answers in the order of
   * {@code submissions}, whose ids are in that order too.
   */
  public List<Accepted> submitAll(List<Submission> submissions, AlongsideInsert alongside) {
    List<TtsRequest.Speech> speeches = submissions.stream().map(this::speech).toList();
    Map<String, CachedAudio> cached =
        cachedAudio(speeches.stream().map(TtsRequest.Speech::contentKey).toList());
    Set<String> askedBefore = askedBefore(submissions, cached.keySet());
    List<TtsRequest> requests = new ArrayList<>(submissions.size());
    List<Accepted> accepted = new ArrayList<>(submissions.size());
    for (int i = 0; i < submissions.size(); i++) {
      Submission submission = submissions.get(i);
      TtsRequest.Speech speech = speeches.get(i);
      UUID id = ids.next();
      CachedAudio audio = cached.get(speech.contentKey());
      if (audio != null && speech.ssml() != null) {
        speech = speech.withSsml(SsmlMarks.merge(speech.ssml(), audio.ssmlMarks()));
      }
      TtsRequest request =
          audio != null
              ? TtsRequest.fromCache(
                  id,
                  submission.userId(),
                  submission.priority(),
                  speech,
                  audio.bytes(),
                  audio.durationMs())
              : TtsRequest.queued(id, submission.userId(), submission.priority(), speech);
      requests.add(request);
      // Saying "cache hit" for audio another user asked for would tell this one what they asked.
      boolean reportHit =
          audio != null
              && (properties.audioCache() == AudioCacheScope.PER_USER
                  || askedBefore.contains(submission.userId() + "/" + speech.contentKey()));
      accepted.add(new Accepted(request, reportHit));
    }
    if (alongside == AlongsideInsert.NOTHING && requests.size() == 1) {
      repository.insert(requests.getFirst());
    } else {
      transactions.executeWithoutResult(
          tx -> {
            alongside.write(requests);
            repository.insertAll(requests);
          });
    }
    requests.forEach(r -> metrics.received(r.voice(), r.cacheHit()));
    publish(requests);
    return accepted;
  }

  TtsRequest.Speech speech(Submission submission) {
    Utterance utterance = submission.utterance();
    String contentKey =
        ContentKey.of(
            properties.audioCache() == AudioCacheScope.PER_USER ? submission.userId() : null,
            utterance.voice().id(),
            utterance.engineVersion(),
            utterance.settings().speed(),
            utterance.settings().pitch(),
            utterance.format().extension(),
            utterance.sampleRate(),
            utterance.ssml() != null,
            utterance.spokenText(),
            utterance.lexicons() == null ? null : utterance.lexicons().versionKey());
    String spoken = utterance.spokenText();
    return new TtsRequest.Speech(
        utterance.text(),
        utterance.language(),
        utterance.voiceRequested(),
        utterance.voice().id(),
        utterance.settings().speed(),
        utterance.settings().pitch(),
        utterance.format(),
        utterance.sampleRate(),
        contentKey,
        utterance.characters(),
        utterance.ssml() == null ? null : utterance.ssml().toJson(),
        spoken.equals(utterance.text()) ? null : spoken);
  }

  /** "user/contentKey" of each stored audio a submitting user asked for before. */
  private Set<String> askedBefore(List<Submission> submissions, Set<String> storedKeys) {
    if (storedKeys.isEmpty() || properties.audioCache() == AudioCacheScope.PER_USER) {
      return Set.of();
    }
    Set<String> asked = new HashSet<>();
    submissions.stream()
        .map(Submission::userId)
        .distinct()
        .forEach(
            user ->
                repository
                    .askedBefore(user, storedKeys)
                    .forEach(key -> asked.add(user + "/" + key)));
    return asked;
  }

  /**
   * An accepted request.
   *
   * @param cacheHit whether to tell the caller it was answered from stored audio: only when it is
   *     audio they asked for before ({@link TtsRequest#cacheHit} says whether it was, whoever
   *     asked)
   */
  public record Accepted(TtsRequest request, boolean cacheHit) {}

  private Map<String, CachedAudio> cachedAudio(List<String> contentKeys) {
    Map<String, CachedAudio> cached = new HashMap<>(cacheHits.takeAll(contentKeys));
    for (String contentKey : List.copyOf(cached.keySet())) {
      if (audioStore.find(contentKey).isEmpty()) {
        log.warn(
            "Audio {} is indexed but missing from the store; synthesizing it again", contentKey);
        repository.forgetCachedAudio(contentKey);
        cached.remove(contentKey);
      }
    }
    return cached;
  }

  /**
   * Queues the jobs and writes their status hashes in one round trip. A job goes into its stream
   * unless its user already has the per-user cap's worth there; then it is held back and moves in
   * as one of theirs ends ({@link QueueProducer#admit}). Either way it is queued. A job Redis
   * refuses (down, failing over) is stored all the same and queued by {@link Readmissions} once
   * Redis takes it.
   */
  private void publish(List<TtsRequest> requests) {
    List<Future<?>> statuses = new ArrayList<>();
    Map<Job, Future<?>> admissions = new LinkedHashMap<>();
    for (TtsRequest request : requests) {
      statuses.add(sent(() -> statusStore.writeAsync(StatusSnapshot.of(request))));
      if (request.status() == RequestStatus.QUEUED) {
        Job job = new Job(request.id(), request.createdAt(), request.priority(), request.userId());
        admissions.put(job, sent(() -> queue.admitAsync(job)));
      }
    }
    RuntimeException refused = null;
    for (Map.Entry<Job, Future<?>> admission : admissions.entrySet()) {
      try {
        Redis.await(admission.getValue());
      } catch (RuntimeException e) {
        readmissions.later(admission.getKey());
        refused = e;
      }
    }
    if (refused != null) {
      log.warn(
          "Requests are stored but Redis did not queue them ({}); they are queued as soon as it"
              + " does",
          refused.toString());
    }
    for (Future<?> status : statuses) {
      try {
        Redis.await(status);
      } catch (RuntimeException e) {
        // Polls read PostgreSQL while a request has no status hash.
        log.debug("Status hash not written: {}", e.toString());
      }
    }
  }

  /** A command sent without waiting; one that could not even be sent is a failed answer. */
  private static Future<?> sent(Supplier<Future<?>> command) {
    try {
      return command.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
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

  /**
   * The request's status as PostgreSQL has it (the primary): for work done after a request ended,
   * such as its webhook, which must see the row the end was written to.
   */
  public Optional<StatusSnapshot> storedStatus(UUID id) {
    return repository.find(id).map(StatusSnapshot::of);
  }

  /** What a status poll shows of each of {@code ids} that exists (PostgreSQL, no text read). */
  public List<StatusSnapshot> storedStatuses(List<UUID> ids) {
    return repository.statuses(ids);
  }

  /**
   * What a user's open pages may have missed while status events were lost: the requests still
   * queued or processing, and those that changed since {@code since} (at most {@code max}, newest
   * first, none created more than a day before {@code since}).
   */
  public List<StatusSnapshot> unfinishedOrChangedSince(UUID userId, Instant since, int max) {
    return repository.unfinishedOrChangedSince(
        userId, since, since.minus(java.time.Duration.ofDays(1)), max);
  }

  /** The rows of {@code ids} that exist, in no particular order. */
  public List<TtsRequest> findAll(List<UUID> ids) {
    return repository.findAll(ids);
  }

  /**
   * Cancels every request of {@code ids} that is the user's and still queued, in one statement; the
   * rest (running or ended) are left as they are. Returns those cancelled.
   */
  public List<TtsRequest> cancelAll(UUID userId, List<UUID> ids) {
    List<TtsRequest> cancelled = repository.cancelAll(ids, userId, clock.instant());
    List<Future<?>> pending = new ArrayList<>();
    for (TtsRequest request : cancelled) {
      metrics.finished(RequestStatus.CANCELLED.wireName(), request.voice());
      pending.add(statusStore.writeAsync(StatusSnapshot.of(request)));
    }
    try {
      pending.forEach(Redis::await);
    } catch (RuntimeException e) {
      log.warn(
          "Status of {} cancelled requests not written to Redis: {}",
          cancelled.size(),
          e.toString());
    }
    return cancelled;
  }

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
