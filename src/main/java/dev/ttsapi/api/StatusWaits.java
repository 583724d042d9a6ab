package dev.ttsapi.api;

import dev.ttsapi.request.RequestStatus;
import dev.ttsapi.request.StatusEvents;
import dev.ttsapi.request.StatusSnapshot;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Status polls that wait ({@code Prefer: wait=N}, RFC 7240): the answer is a {@link DeferredResult}
 * set when the request's status event arrives ({@link StatusEvents}, from whichever node changed
 * it) or when the wait runs out. No thread waits and nothing polls: the servlet thread is released
 * at once, and the status is read again only when an event of this request names another status
 * than the one the poll started with (progress events of the same status do not end it).
 *
 * <p>At most {@code tts.status.max-waiting-polls} wait on one node; past that a poll is answered at
 * once, as if it had not asked to wait. At shutdown every waiting poll is answered with the status
 * as it is.
 */
@Component
@ConditionalOnRole(Role.API)
class StatusWaits implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(StatusWaits.class);

  private final StatusEvents events;
  private final StatusWaitProperties properties;
  private final Set<Waiting<?>> waiting = ConcurrentHashMap.newKeySet();
  private volatile boolean running;

  StatusWaits(StatusEvents events, StatusWaitProperties properties, MeterRegistry registry) {
    this.events = events;
    this.properties = properties;
    Gauge.builder("tts.status.waiting_polls", waiting, Set::size)
        .description("Status polls waiting for a change (Prefer: wait) on this node")
        .register(registry);
  }

  /** Whether another poll may wait on this node now. */
  boolean hasRoom() {
    return running && waiting.size() < properties.maxWaitingPolls();
  }

  int waitingPolls() {
    return waiting.size();
  }

  /**
   * Answers with {@code answer} of the status as soon as it is no longer {@code first}'s, or after
   * {@code wait} with the status as it is then.
   *
   * @param read reads the request's status now (Redis, else PostgreSQL)
   */
  <T> DeferredResult<T> await(
      StatusSnapshot first,
      Duration wait,
      Supplier<StatusSnapshot> read,
      Function<StatusSnapshot, T> answer) {
    DeferredResult<T> result = new DeferredResult<>(wait.toMillis());
    Waiting<T> w = new Waiting<>(first.status(), result, read, answer);
    waiting.add(w);
    StatusEvents.Subscription subscription =
        events.subscribe(
            first.userId(),
            (requestId, status, json) -> {
              if (requestId.equals(first.id()) && status != first.status()) {
                // Called on Redis's event loop: the read runs elsewhere.
                Thread.ofVirtual().start(w::answerIfChanged);
              }
            });
    result.onTimeout(w::answerNow);
    result.onCompletion(
        () -> {
          subscription.close();
          waiting.remove(w);
        });
    // The status may have changed between the caller's read and the subscription.
    w.answerIfChanged();
    return result;
  }

  /** One waiting poll. */
  private static final class Waiting<T> {
    private final RequestStatus first;
    private final DeferredResult<T> result;
    private final Supplier<StatusSnapshot> read;
    private final Function<StatusSnapshot, T> answer;
    private final AtomicBoolean answered = new AtomicBoolean();

    Waiting(
        RequestStatus first,
        DeferredResult<T> result,
        Supplier<StatusSnapshot> read,
        Function<StatusSnapshot, T> answer) {
      this.first = first;
      this.result = result;
      this.read = read;
      this.answer = answer;
    }

    void answerIfChanged() {
      if (answered.get()) {
        return;
      }
      try {
        StatusSnapshot now = read.get();
        if (now.status() != first) {
          set(now);
        }
      } catch (RuntimeException e) {
        fail(e);
      }
    }

    void answerNow() {
      if (answered.get()) {
        return;
      }
      try {
        set(read.get());
      } catch (RuntimeException e) {
        fail(e);
      }
    }

    private void set(StatusSnapshot now) {
      if (answered.compareAndSet(false, true)) {
        result.setResult(answer.apply(now));
      }
    }

    private void fail(RuntimeException e) {
      if (answered.compareAndSet(false, true)) {
        log.debug("A waiting status poll could not read the status: {}", e.toString());
        result.setErrorResult(e);
      }
    }
  }

  @Override
  public void start() {
    running = true;
  }

  /** Answers every waiting poll with the status as it is, so shutdown need not wait for them. */
  @Override
  public void stop() {
    running = false;
    for (Waiting<?> w : Set.copyOf(waiting)) {
      w.answerNow();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
