package dev.ttsapi.request;

import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.observability.TtsMetrics;
import dev.ttsapi.queue.Job;
import dev.ttsapi.queue.QueueProducer;
import dev.ttsapi.redis.Redis;
import dev.ttsapi.request.RequestRepository.CachedAudio;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A request's life on the API side: accept it (written in a group with concurrent submits: one
 * statement per group, the lookup of stored audio folded into its INSERT; one pipelined Redis round
 * trip; no synthesis), report its status, list and cancel. Workers drive the rest through {@link
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
  private final GroupCommit<Submit, Accepted> groups;
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
      MeterRegistry registry,
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
    this.groups =
        new GroupCommit<>(
            "submit-group-commit",
            "tts.requests.group",
            "Submits",
            properties.groupCommitRows(),
            properties.groupCommitWait(),
            properties.groupCommitPending(),
            this::writeGroup,
            registry);
  }

  /** Writes the submits still waiting, then lets later ones be written one at a time. */
  @PreDestroy
  void stopGroups() {
    groups.close();
  }

  /**
   * Accepts a request. Audio that is already stored answers it at once; otherwise it is written to
   * PostgreSQL (the truth) and then queued. If Redis fails after the INSERT, the request is still
   * accepted: it is queued as soon as Redis takes it ({@link Readmissions}).
   */
  public Accepted submit(Submission submission) {
    return submit(submission, AlongsideInsert.NOTHING);
  }

  /**
   * {@link #submit(Submission)}, with {@code alongside} written in the same transaction. Without
   * anything alongside, the request is written in a group with those submitted concurrently on this
   * node ({@link GroupCommit}): one statement for the group, which looks up stored audio and
   * inserts the rows that have none, and this call returns once its row is committed.
   */
  public Accepted submit(Submission submission, AlongsideInsert alongside) {
    if (alongside != AlongsideInsert.NOTHING) {
      return submitAll(List.of(submission), alongside).getFirst();
    }
    return groups.submit(submitOf(submission));
  }

  /**
   * Accepts many requests at once, as {@link #submit} does one: one statement (in one transaction
   * with what goes {@code alongside}) finds the stored audio of them all and inserts them, and one
   * pipelined Redis round trip queues them, each under its user's cap. Answers in the order of
   * {@code submissions}, whose ids are in that order too.
   */
  public List<Accepted> submitAll(List<Submission> submissions, AlongsideInsert alongside) {
    List<Submit> submits = submissions.stream().map(this::submitOf).toList();
    List<TtsRequest> queued = queuedRows(submits);
    List<Accepted> accepted =
        transactions.execute(
            tx -> {
              alongside.write(queued);
              Map<UUID, RequestRepository.Stored> unchecked = new HashMap<>();
              List<Accepted> answers = insertGroup(submits, queued, unchecked);
              if (!unchecked.isEmpty()) {
                Found found = checked(queued, unchecked);
                List<TtsRequest> rows = new ArrayList<>(unchecked.size());
                for (int i = 0; i < answers.size(); i++) {
                  if (answers.get(i) == null) {
                    answers.set(i, row(submits.get(i), found, queued.get(i).id()));
                    rows.add(answers.get(i).request());
                  }
                }
                repository.insertAll(rows);
              }
              return answers;
            });
    List<CompletableFuture<Void>> published = new ArrayList<>(accepted.size());
    for (Accepted answer : accepted) {
      metrics.received(answer.request().voice(), answer.request().cacheHit());
      published.add(publish(answer.request()));
    }
    published.forEach(CompletableFuture::join); // never fails: a Redis failure is logged
    return accepted;
  }

  /**
   * A submit's work on {@code submission} with nothing kept, for the warm-up ({@code
   * observability.WarmUp}) to run before the node reports ready, so the JIT has compiled the path
   * when the first users come: its speech and content key, its row written as a queued request by
   * the group commit's statement (the lookup of stored audio folded in) and as a cache hit, and a
   * status read of it from Redis (the hash is not there) and from PostgreSQL, all inside one
   * transaction that is rolled back. Redis is only read; no hit is counted, no metric moves, no
   * status event or queue entry is made.
   *
   * @return the two answers a submit would have given: queued, and a cache hit
   */
  public List<Accepted> rehearse(Submission submission) {
    TtsRequest.Speech speech = speech(submission);
    UUID user = submission.userId();
    List<Accepted> answers =
        transactions.execute(
            tx -> {
              tx.setRollbackOnly(); // whatever happens below, nothing is committed
              TtsRequest queued =
                  TtsRequest.queued(ids.next(), user, submission.priority(), speech);
              TtsRequest hit =
                  TtsRequest.fromCache(ids.next(), user, submission.priority(), speech, 1, 1);
              // the group commit's one statement (lookup folded in), then a stored-audio answer's
              repository.insertGroup(
                  List.of(queued),
                  new boolean[] {true},
                  properties.audioCache() == AudioCacheScope.SHARED);
              repository.insertAll(List.of(hit));
              Optional<StatusSnapshot> cached = Redis.await(statusStore.readAsync(queued.id()));
              if (cached.isEmpty()) {
                repository.findFor(user, queued.id());
              }
              return List.of(new Accepted(queued, false), new Accepted(hit, true));
            });
    return answers;
  }

  /**
   * A submission, its speech (content key included), and whether the audio store holds that content
   * key (asked only of a store that answers locally), worked out on the caller's thread.
   */
  private record Submit(Submission submission, TtsRequest.Speech speech, boolean inStore) {}

  private Submit submitOf(Submission submission) {
    TtsRequest.Speech speech = speech(submission);
    boolean inStore;
    try {
      inStore = audioStore.holdsLocally(speech.contentKey(), speech.format());
    } catch (RuntimeException e) {
      inStore = false; // not seen: if the index lists it, the store is asked again after
    }
    return new Submit(submission, speech, inStore);
  }

  /** The submits' rows as queued rows, ids assigned in their order. */
  private List<TtsRequest> queuedRows(List<Submit> submits) {
    List<TtsRequest> queued = new ArrayList<>(submits.size());
    for (Submit submit : submits) {
      Submission submission = submit.submission();
      queued.add(
          TtsRequest.queued(
              ids.next(), submission.userId(), submission.priority(), submit.speech()));
    }
    return queued;
  }

  /**
   * Writes a group's rows in one statement ({@link RequestRepository#insertGroup}) and answers
   * each, in the group's order: queued, or completed from stored audio the audio store holds. A row
   * whose stored audio the store has not confirmed (or whose SSML marks are to be merged with it)
   * is not written: its answer is null and its stored audio goes into {@code unchecked}.
   */
  private List<Accepted> insertGroup(
      List<Submit> submits,
      List<TtsRequest> queued,
      Map<UUID, RequestRepository.Stored> unchecked) {
    boolean[] inStore = new boolean[submits.size()];
    for (int i = 0; i < inStore.length; i++) {
      inStore[i] = submits.get(i).inStore();
    }
    Map<UUID, RequestRepository.Stored> stored =
        repository.insertGroup(queued, inStore, properties.audioCache() == AudioCacheScope.SHARED);
    List<Accepted> answers = new ArrayList<>(queued.size());
    for (int i = 0; i < queued.size(); i++) {
      TtsRequest request = queued.get(i);
      RequestRepository.Stored found = stored.get(request.id());
      if (found == null) {
        answers.add(new Accepted(request, false));
      } else if (found.answered()) {
        cacheHits.counted(request.contentKey());
        Submission submission = submits.get(i).submission();
        TtsRequest hit =
            TtsRequest.fromCache(
                request.id(),
                submission.userId(),
                submission.priority(),
                request.speech(),
                found.audio().bytes(),
                found.audio().durationMs());
        answers.add(new Accepted(hit, reportHit(found.askedBefore())));
      } else {
        unchecked.put(request.id(), found);
        answers.add(null);
      }
    }
    return answers;
  }

  /**
   * Writes one group of single submits: one statement, one round trip, no transaction ({@link
   * #insertGroup}). Rows whose stored audio is still to be checked are inserted next ({@link
   * #writeStored}). Then their status hashes and queue entries, pipelined; each caller is answered
   * when its own Redis commands are answered. PostgreSQL unreachable fails every caller of the
   * group (their 503); any other failure of the statement is a bad row, so the submits are written
   * again one by one and only the bad one fails.
   */
  private void writeGroup(List<GroupCommit.Pending<Submit, Accepted>> group) {
    List<Submit> submits = group.stream().map(GroupCommit.Pending::item).toList();
    List<TtsRequest> queued = queuedRows(submits);
    Map<UUID, RequestRepository.Stored> unchecked = new HashMap<>();
    List<Accepted> answers;
    try {
      answers = insertGroup(submits, queued, unchecked);
    } catch (RuntimeException e) {
      if (group.size() == 1 || unreachable(e)) {
        group.forEach(c -> c.answer().completeExceptionally(e));
        return;
      }
      log.warn(
          "A group of {} submits was refused ({}); writing them one by one",
          group.size(),
          e.toString());
      group.forEach(pending -> writeGroup(List.of(pending))); // nothing of the group was written
      return;
    }
    List<GroupCommit.Pending<Submit, Accepted>> storedCallers = new ArrayList<>();
    List<TtsRequest> storedRows = new ArrayList<>();
    for (int i = 0; i < queued.size(); i++) {
      GroupCommit.Pending<Submit, Accepted> caller = group.get(i);
      Accepted answer = answers.get(i);
      if (answer == null) {
        storedCallers.add(caller);
        storedRows.add(queued.get(i));
        continue;
      }
      metrics.received(answer.request().voice(), answer.request().cacheHit());
      publish(answer.request()).whenComplete((ok, failure) -> caller.answer().complete(answer));
    }
    if (!storedRows.isEmpty()) {
      try {
        writeStored(storedCallers, storedRows, unchecked);
      } catch (RuntimeException e) {
        // only these: the others' rows are committed, and their answers on their way
        storedCallers.forEach(c -> c.answer().completeExceptionally(e));
      }
    }
  }

  /**
   * The submits of a group whose stored audio is still to be checked against the audio store:
   * answered from it (completed) unless the store lost it (then queued), inserted one row in one
   * statement, more in one transaction (a bad row retried alone), and published.
   */
  private void writeStored(
      List<GroupCommit.Pending<Submit, Accepted>> group,
      List<TtsRequest> queued,
      Map<UUID, RequestRepository.Stored> stored) {
    Found found = checked(queued, stored);
    List<GroupCommit.Pending<Submit, Accepted>> callers = new ArrayList<>(group.size());
    List<TtsRequest> requests = new ArrayList<>(group.size());
    List<Accepted> answers = new ArrayList<>(group.size());
    for (int i = 0; i < group.size(); i++) {
      GroupCommit.Pending<Submit, Accepted> pending = group.get(i);
      try {
        Accepted accepted = row(pending.item(), found, queued.get(i).id());
        callers.add(pending);
        requests.add(accepted.request());
        answers.add(accepted);
      } catch (RuntimeException e) {
        pending.answer().completeExceptionally(e); // this submit only
      }
    }
    if (requests.isEmpty()) {
      return;
    }
    List<Integer> written = new ArrayList<>(requests.size());
    try {
      if (requests.size() == 1) {
        repository.insert(requests.getFirst());
      } else {
        transactions.executeWithoutResult(tx -> repository.insertAll(requests));
      }
      for (int i = 0; i < requests.size(); i++) {
        written.add(i);
      }
    } catch (RuntimeException e) {
      if (requests.size() == 1 || unreachable(e)) {
        callers.forEach(c -> c.answer().completeExceptionally(e));
        return;
      }
      log.warn(
          "A group of {} submits was refused ({}); writing them one by one",
          requests.size(),
          e.toString());
      for (int i = 0; i < requests.size(); i++) {
        try {
          repository.insert(requests.get(i));
          written.add(i);
        } catch (RuntimeException one) {
          callers.get(i).answer().completeExceptionally(one);
        }
      }
    }
    for (int i : written) {
      TtsRequest request = requests.get(i);
      Accepted answer = answers.get(i);
      metrics.received(request.voice(), request.cacheHit());
      publish(request).whenComplete((ok, failure) -> callers.get(i).answer().complete(answer));
    }
  }

  /**
   * The stored audio of rows the group's statement did not write, each hit counted, less that whose
   * object the audio store no longer has (forgotten, so its request is queued and synthesized
   * again), and who asked for it before.
   */
  private Found checked(List<TtsRequest> rows, Map<UUID, RequestRepository.Stored> stored) {
    Map<String, CachedAudio> audio = new HashMap<>();
    java.util.Set<String> askedBefore = new java.util.HashSet<>();
    for (TtsRequest request : rows) {
      RequestRepository.Stored found = stored.get(request.id());
      if (found == null) {
        continue;
      }
      audio.put(request.contentKey(), found.audio());
      cacheHits.counted(request.contentKey());
      if (found.askedBefore()) {
        askedBefore.add(request.userId() + "/" + request.contentKey());
      }
    }
    return new Found(stillStored(audio), askedBefore);
  }

  /** PostgreSQL (or the pool in front of it) cannot be reached: no row of the group can be. */
  private static boolean unreachable(RuntimeException e) {
    return e instanceof DataAccessResourceFailureException
        || e instanceof TransientDataAccessException
        || e instanceof CannotCreateTransactionException;
  }

  /** The stored audio of a group (audio the store lost left out), and who asked for it before. */
  private record Found(Map<String, CachedAudio> cached, java.util.Set<String> askedBefore) {}

  /** A submit's row: completed from stored audio (a cache hit), else queued. */
  private Accepted row(Submit submit, Found found, UUID id) {
    Submission submission = submit.submission();
    TtsRequest.Speech speech = submit.speech();
    CachedAudio audio = found.cached().get(speech.contentKey());
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
    return new Accepted(
        request,
        audio != null
            && reportHit(
                found.askedBefore().contains(submission.userId() + "/" + speech.contentKey())));
  }

  /**
   * Whether to tell the caller their request was answered from stored audio: saying "cache hit" for
   * audio another user asked for would tell this one what they asked.
   */
  private boolean reportHit(boolean askedBefore) {
    return properties.audioCache() == AudioCacheScope.PER_USER || askedBefore;
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

  /**
   * An accepted request.
   *
   * @param cacheHit whether to tell the caller it was answered from stored audio: only when it is
   *     audio they asked for before ({@link TtsRequest#cacheHit} says whether it was, whoever
   *     asked)
   */
  public record Accepted(TtsRequest request, boolean cacheHit) {}

  /** The stored audio found, less that whose object the store no longer has. */
  private Map<String, CachedAudio> stillStored(Map<String, CachedAudio> found) {
    Map<String, CachedAudio> cached = new HashMap<>(found);
    for (String contentKey : found.keySet()) {
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
   * Writes the request's status hash and, if it is queued, offers it to the queue, without waiting:
   * the commands of a group travel together. A job goes into its stream unless its user already has
   * the per-user cap's worth there; then it is held back and moves in as one of theirs ends ({@link
   * QueueProducer#admit}). Either way it is queued. The future never fails: a request Redis did not
   * take (down, out of memory, failing over) is stored all the same, and {@link Readmissions}
   * offers it again until Redis takes it. A status hash not written only sends polls to PostgreSQL.
   */
  private CompletableFuture<Void> publish(TtsRequest request) {
    CompletableFuture<?> status;
    try {
      status = statusStore.writeAsync(StatusSnapshot.of(request));
    } catch (RuntimeException e) {
      status = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<?> admitted = CompletableFuture.completedFuture(null);
    if (request.status() == RequestStatus.QUEUED) {
      Job job = request.job();
      try {
        admitted = queue.admitAsync(job);
      } catch (RuntimeException e) {
        admitted = CompletableFuture.failedFuture(e);
      }
      admitted =
          admitted.handle(
              (ok, failure) -> {
                if (failure != null) {
                  readmissions.later(job);
                  notQueued(request, failure);
                }
                return null;
              });
    }
    return CompletableFuture.allOf(status.exceptionally(failure -> null), admitted);
  }

  private static void notQueued(TtsRequest request, Throwable failure) {
    log.warn(
        "Request {} is stored but Redis did not queue it ({}); it is queued as soon as Redis takes"
            + " it",
        request.id(),
        failure.toString());
  }

  /**
   * The status of the caller's request, from Redis or else PostgreSQL (a read replica that has the
   * caller's writes, else the primary).
   */
  public StatusSnapshot status(UUID callerId, boolean admin, String rawId) {
    return status(callerId, admin, rawId, () -> {});
  }

  /**
   * {@link #status(UUID, boolean, String)}, running {@code whileReading} after the Redis read is
   * sent and before it is waited for (a rate-limit check whose answer travels with it). It runs
   * whatever the id, before any 404.
   */
  public StatusSnapshot status(UUID callerId, boolean admin, String rawId, Runnable whileReading) {
    UUID id = RequestIds.parse(rawId).orElse(null);
    CompletableFuture<Optional<StatusSnapshot>> sent;
    try {
      sent =
          id == null
              ? CompletableFuture.completedFuture(Optional.empty())
              : statusStore.readAsync(id);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    whileReading.run();
    if (id == null) {
      throw new RequestNotFoundException(rawId);
    }
    Optional<StatusSnapshot> fast = Optional.empty();
    try {
      fast = Redis.await(sent);
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
