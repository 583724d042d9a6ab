package dev.ttsapi.webhook;

import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.PeriodicTasks;
import dev.ttsapi.runtime.Role;
import dev.ttsapi.webhook.DeliveryRepository.Claimed;
import dev.ttsapi.webhook.DeliveryRepository.Result;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers the outbox, on every worker: claims due deliveries (as many as it has free places, up to
 * {@code tts.webhook.concurrency}) and makes each attempt on a virtual thread of its own, apart
 * from the synthesis pool and the job slots, so a slow receiver never holds up speech. A failed
 * attempt is retried after a wait that doubles each time (from {@code backoff-base} to {@code
 * backoff-max}, jittered so receivers that failed together are not called together again), until
 * {@code retry-for} after the event; then the delivery is {@code failed}. A worker that dies
 * mid-attempt leaves its claim to run out ({@code lease}); another worker attempts again. So every
 * event is delivered at least once: a receiver may see one twice, with the same {@code
 * Tts-Webhook-Id}.
 */
@Component
@ConditionalOnRole(Role.WORKER)
class WebhookDispatcher extends PeriodicTasks {

  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final int MAX_DOUBLINGS = 30;

  private final DeliveryRepository deliveries;
  private final Map<String, WebhookPayloads> payloads;
  private final WebhookSettings settings;
  private final WebhookSender sender;
  private final WebhookMetrics metrics;
  private final WebhookProperties properties;
  private final JsonMapper json;
  private final Clock clock;
  private final Semaphore places;
  private final String node = ManagementFactory.getRuntimeMXBean().getName();
  private volatile ExecutorService attempts = newAttempts();

  WebhookDispatcher(
      DeliveryRepository deliveries,
      List<WebhookPayloads> payloads,
      WebhookSettings settings,
      WebhookSender sender,
      WebhookMetrics metrics,
      WebhookProperties properties,
      JsonMapper json,
      Clock clock,
      TaskScheduler scheduler) {
    super(scheduler);
    this.deliveries = deliveries;
    this.payloads =
        payloads.stream()
            .collect(
                Collectors.toMap(
                    WebhookPayloads::subject,
                    Function.identity(),
                    (a, b) -> a,
                    LinkedHashMap::new));
    this.settings = settings;
    this.sender = sender;
    this.metrics = metrics;
    this.properties = properties;
    this.json = json;
    this.clock = clock;
    this.places = new Semaphore(properties.concurrency());
  }

  @Override
  protected List<Task> tasks() {
    return List.of(new Task(this::poll, properties.pollInterval()));
  }

  @Override
  public synchronized void start() {
    if (attempts.isShutdown()) {
      attempts = newAttempts();
    }
    super.start();
  }

  /**
   * Stops claiming; attempts in flight get up to one attempt's time to end, then are interrupted
   * (their claims run out and another worker makes them again).
   */
  @Override
  public synchronized void stop() {
    super.stop();
    attempts.shutdown();
    try {
      if (!attempts.awaitTermination(properties.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        attempts.shutdownNow();
      }
    } catch (InterruptedException e) {
      attempts.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Claims and starts due deliveries while it has free places and finds some. */
  void poll() {
    try {
      while (true) {
        int free = places.availablePermits();
        if (free == 0) {
          return;
        }
        Instant now = clock.instant();
        List<Claimed> claimed = deliveries.claim(free, now, now.plus(properties.lease()), node);
        for (Claimed delivery : claimed) {
          places.acquireUninterruptibly();
          try {
            attempts.execute(
                () -> {
                  try {
                    attempt(delivery);
                  } finally {
                    places.release();
                  }
                });
          } catch (RuntimeException e) {
            places.release(); // stopping: the claim runs out and another worker takes it
            throw e;
          }
        }
        if (claimed.size() < free) {
          return;
        }
      }
    } catch (RuntimeException e) {
      log.warn("Could not claim webhook deliveries, will try again: {}", e.toString());
    }
  }

  private void attempt(Claimed delivery) {
    try {
      String body = delivery.payload() != null ? delivery.payload() : payload(delivery);
      Result result;
      if (body == null) {
        result =
            new Result(Outcome.GONE, null, 0, "the " + delivery.subject() + " no longer exists");
      } else {
        long timestamp = clock.instant().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(
            Signatures.HEADER,
            Signatures.header(timestamp, body, settings.signingSecrets(delivery.userId())));
        headers.put("Tts-Webhook-Id", delivery.id().toString());
        headers.put("Tts-Event", delivery.event());
        headers.put("Tts-Attempt", Integer.toString(delivery.attempt()));
        result = sender.send(URI.create(delivery.url()), body, headers);
      }
      metrics.attempted(result.outcome(), result.latencyMs());
      Instant now = clock.instant();
      Instant next =
          result.outcome() == Outcome.DELIVERED || body == null ? null : nextAttempt(delivery, now);
      deliveries.settle(delivery, result, now, next);
      if (result.outcome() == Outcome.DELIVERED) {
        metrics.delivered();
      } else if (next == null) {
        metrics.gaveUp();
        log.warn(
            "Webhook {} ({}) given up after attempt {}: {}",
            delivery.id(),
            delivery.event(),
            delivery.attempt(),
            result.error());
      }
    } catch (RuntimeException e) {
      log.warn(
          "Webhook {} attempt {} could not be made or recorded; it is tried again once its claim"
              + " runs out: {}",
          delivery.id(),
          delivery.attempt(),
          e.toString());
    }
  }

  /** The body, made from the subject now and fixed for every later attempt. */
  private String payload(Claimed delivery) {
    WebhookPayloads writer = payloads.get(delivery.subject());
    if (writer == null) {
      throw new IllegalStateException("no webhook payloads for subject " + delivery.subject());
    }
    return writer
        .document(delivery.subjectId())
        .map(json::writeValueAsString)
        .map(body -> deliveries.fixPayload(delivery.id(), body))
        .orElse(null);
  }

  /**
   * When to try again after {@code delivery}'s failed attempt: {@code backoff-base} doubled for
   * each earlier failure, at most {@code backoff-max}, between half and all of that at random; null
   * (give up) once that falls past {@code retry-for} after the event.
   */
  private Instant nextAttempt(Claimed delivery, Instant now) {
    int doublings = Math.min(MAX_DOUBLINGS, delivery.attempt() - 1);
    Duration wait = properties.backoffBase().multipliedBy(1L << doublings);
    if (wait.compareTo(properties.backoffMax()) > 0 || wait.isNegative()) {
      wait = properties.backoffMax();
    }
    long half = wait.toMillis() / 2;
    Instant next = now.plusMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    return next.isAfter(delivery.createdAt().plus(properties.retryFor())) ? null : next;
  }

  private static ExecutorService newAttempts() {
    return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("webhook-", 0).factory());
  }
}
