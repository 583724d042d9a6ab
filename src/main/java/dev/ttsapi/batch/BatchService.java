package dev.ttsapi.batch;

import dev.ttsapi.backpressure.QueueLimit;
import dev.ttsapi.batch.BatchDtos.BatchBody;
import dev.ttsapi.batch.BatchDtos.BatchDocument;
import dev.ttsapi.batch.BatchDtos.Item;
import dev.ttsapi.batch.BatchDtos.Links;
import dev.ttsapi.batch.BatchRepository.Batch;
import dev.ttsapi.ratelimit.Decision;
import dev.ttsapi.ratelimit.QuotaCharge;
import dev.ttsapi.ratelimit.RateLimitExceededException;
import dev.ttsapi.ratelimit.RateLimiter;
import dev.ttsapi.request.RequestIds;
import dev.ttsapi.request.RequestService;
import dev.ttsapi.request.RequestStatus;
import dev.ttsapi.request.StatusSnapshot;
import dev.ttsapi.request.Submission;
import dev.ttsapi.request.TtsRequest;
import dev.ttsapi.web.Problem;
import dev.ttsapi.web.ProblemType;
import dev.ttsapi.webhook.CallbackUrls;
import dev.ttsapi.webhook.StatusDocument;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/**
 * Batches: many requests accepted in one call, followed as one. A batch is all or nothing at
 * submit: every item is checked, then its characters are charged to the daily quota and its items
 * to the per-minute submit budget (each item counts as one submission), then all are inserted in
 * one transaction with the batch's rows. Over a limit, the whole batch is refused with a 429 saying
 * how many of its items (from the first) would fit; nothing is queued. Queued, its items go through
 * the per-user cap like any request of the user's, so a batch never holds more than the cap's worth
 * of places in the queue and other users' requests pass it.
 */
@Service
public class BatchService {

  private final BatchItems items;
  private final BatchRepository repository;
  private final RequestService requests;
  private final CallbackUrls callbackUrls;
  private final QueueLimit queueLimit;
  private final RateLimiter limiter;
  private final RequestIds ids;
  private final Clock clock;

  BatchService(
      BatchItems items,
      BatchRepository repository,
      RequestService requests,
      CallbackUrls callbackUrls,
      QueueLimit queueLimit,
      RateLimiter limiter,
      Clock clock) {
    this.items = items;
    this.repository = repository;
    this.requests = requests;
    this.callbackUrls = callbackUrls;
    this.queueLimit = queueLimit;
    this.limiter = limiter;
    this.ids = new RequestIds(clock);
    this.clock = clock;
  }

  /**
   * Accepts a batch for {@code userId}.
   *
   * @param apiKey the key of the call, for a per-key submit limit
   * @param callsCharged submissions already taken from the budget for this call (the call itself)
   */
  BatchDocument submit(UUID userId, String apiKey, BatchBody body, int callsCharged) {
    BatchItems.Checked checked = items.check(userId, body);
    URI callback =
        body.callbackUrl() == null ? null : callbackUrls.check("callback_url", body.callbackUrl());
    queueLimit.admit(checked.priority());
    List<Submission> submissions = checked.submissions();
    long characters = submissions.stream().mapToLong(s -> s.utterance().characters()).sum();
    try (QuotaCharge charge = chargeQuota(userId, characters, submissions)) {
      takeSubmitBudget(userId, apiKey, submissions.size(), callsCharged);
      UUID batchId = ids.next();
      Instant now = RequestIds.createdAt(batchId);
      requests.submitAll(
          submissions,
          accepted -> {
            List<BatchRepository.Item> rows = new ArrayList<>(accepted.size());
            for (int i = 0; i < accepted.size(); i++) {
              TtsRequest r = accepted.get(i);
              rows.add(
                  new BatchRepository.Item(i, r.id(), r.createdAt(), checked.clientIds().get(i)));
            }
            repository.insert(
                new Batch(
                    batchId,
                    userId,
                    now,
                    accepted.size(),
                    null,
                    null,
                    callback == null ? null : callback.toString()),
                rows);
          });
      charge.keep();
      return document(batchId).orElseThrow();
    }
  }

  private QuotaCharge chargeQuota(UUID userId, long characters, List<Submission> submissions) {
    try {
      return limiter.charge(userId, characters);
    } catch (RateLimitExceededException e) {
      long left = e.decision().remaining();
      int fit = 0;
      long used = 0;
      for (Submission s : submissions) {
        used += s.utterance().characters();
        if (used > left) {
          break;
        }
        fit++;
      }
      throw new Problem(
              ProblemType.QUOTA_EXCEEDED,
              "This batch is "
                  + characters
                  + " characters; "
                  + left
                  + " of your daily quota of "
                  + e.decision().limit()
                  + " are left, enough for its first "
                  + fit
                  + " items. Nothing was queued. The quota resets at 00:00 UTC.")
          .with("items_that_fit", fit)
          .with("characters", characters)
          .with("limit", e.decision().limit())
          .with("remaining", left)
          .retryAfter(Duration.ofSeconds(Math.max(1, e.decision().retryAfterSeconds())));
    }
  }

  private void takeSubmitBudget(UUID userId, String apiKey, int submissions, int callsCharged) {
    Decision decision = limiter.acquireSubmissions(userId, apiKey, submissions - callsCharged);
    if (!decision.allowed()) {
      // The refused call has used its own submission: a new call of this many items fits now
      // (the call counting as its first).
      long fit = Math.max(0, decision.remaining());
      throw new Problem(
              ProblemType.RATE_LIMITED,
              "A batch takes one submission per item from the per-minute budget of "
                  + decision.limit()
                  + "; "
                  + fit
                  + " of its items would fit now. Nothing was queued; retry in "
                  + decision.retryAfterSeconds()
                  + " s, or send fewer items.")
          .with("items_that_fit", fit)
          .with("limit", decision.limit())
          .retryAfter(Duration.ofSeconds(Math.max(1, decision.retryAfterSeconds())));
    }
  }

  /** The caller's batch (an admin may read any); another user's is a 404. */
  BatchDocument document(UUID callerId, boolean admin, String rawId) {
    return document(owned(callerId, admin, rawId).id()).orElseThrow();
  }

  /** The batch's document, whoever owns it: for its webhook. */
  Optional<BatchDocument> document(UUID batchId) {
    return repository.find(batchId).map(this::document);
  }

  /**
   * Cancels every item still queued; items being spoken finish, and the batch ends (and is
   * announced as {@code cancelled}) when they have. A batch that has ended is a 409.
   */
  BatchDocument cancel(UUID callerId, boolean admin, String rawId) {
    Batch batch = owned(callerId, admin, rawId);
    if (batch.endedAt() != null) {
      throw new Problem(
              ProblemType.CONFLICT,
              "The batch has ended: " + document(batch).status() + "; nothing left to cancel")
          .with("batch_status", document(batch).status());
    }
    repository.markCancelled(batch.id(), clock.instant());
    requests.cancelAll(
        batch.userId(),
        repository.items(batch.id()).stream().map(BatchRepository.Item::requestId).toList());
    return document(batch.id()).orElseThrow();
  }

  /** The batch and its items in order, each with its request if that still exists. */
  record Contents(Batch batch, List<BatchRepository.Item> items, Map<UUID, TtsRequest> requests) {}

  Contents contents(UUID callerId, boolean admin, String rawId) {
    Batch batch = owned(callerId, admin, rawId);
    List<BatchRepository.Item> rows = repository.items(batch.id());
    Map<UUID, TtsRequest> found =
        requests.findAll(rows.stream().map(BatchRepository.Item::requestId).toList()).stream()
            .collect(Collectors.toMap(TtsRequest::id, Function.identity()));
    return new Contents(batch, rows, found);
  }

  Batch owned(UUID callerId, boolean admin, String rawId) {
    return RequestIds.parse(rawId)
        .flatMap(repository::find)
        .filter(b -> admin || b.userId().equals(callerId))
        .orElseThrow(() -> new Problem(ProblemType.NOT_FOUND, "No batch '" + rawId + "' of yours"));
  }

  private BatchDocument document(Batch batch) {
    List<BatchRepository.Item> rows = repository.items(batch.id());
    Map<UUID, StatusSnapshot> statuses =
        requests
            .storedStatuses(rows.stream().map(BatchRepository.Item::requestId).toList())
            .stream()
            .collect(Collectors.toMap(StatusSnapshot::id, Function.identity()));
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (RequestStatus status : RequestStatus.values()) {
      counts.put(status.wireName(), 0);
    }
    List<Item> documented = new ArrayList<>(rows.size());
    for (BatchRepository.Item row : rows) {
      StatusSnapshot s = statuses.get(row.requestId());
      if (s == null) {
        continue; // dropped by retention
      }
      counts.merge(s.status().wireName(), 1, Integer::sum);
      StatusDocument status = StatusDocument.of(s);
      documented.add(
          new Item(
              row.position(),
              row.clientId(),
              row.requestId().toString(),
              status.status(),
              status.voice(),
              status.format(),
              status.error(),
              status.audio()));
    }
    String self = "/tts/batches/" + batch.id();
    return new BatchDocument(
        batch.id().toString(),
        status(batch, counts),
        batch.total(),
        counts,
        batch.createdAt(),
        batch.endedAt(),
        batch.cancelledAt(),
        documented,
        new Links(self, self + "/audio", self + "/deliveries"));
  }

  private static String status(Batch batch, Map<String, Integer> counts) {
    if (batch.endedAt() == null) {
      return "running";
    }
    if (batch.cancelledAt() != null) {
      return "cancelled";
    }
    return counts.get(RequestStatus.COMPLETED.wireName()) == batch.total()
        ? "completed"
        : "completed_with_failures";
  }
}
