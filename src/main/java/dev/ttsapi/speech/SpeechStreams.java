package dev.ttsapi.speech;

import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The {@code POST /v1/audio/speech} streams open on this node, counted per user: each holds a
 * connection, a request thread and a share of the synthesis pool (or a Redis connection and a
 * worker's slot) for as long as its client reads, so one user may hold at most {@code
 * tts.openai-api.max-streams-per-user} of them, like the event streams' cap.
 */
@Component
@ConditionalOnRole(Role.API)
class SpeechStreams {

  private final ConcurrentHashMap<UUID, Integer> openPerUser = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private final int perUser;

  SpeechStreams(SpeechEndpointProperties properties, MeterRegistry registry) {
    this.perUser = properties.maxStreamsPerUser();
    Gauge.builder("tts.speech.streams", open, AtomicInteger::get)
        .description("Open POST /v1/audio/speech streams on this node")
        .register(registry);
  }

  /** A place for one more of the user's streams, or empty when they hold all of theirs. */
  Optional<Slot> open(UUID userId) {
    boolean[] granted = new boolean[1];
    openPerUser.compute(
        userId,
        (user, held) -> {
          int count = held == null ? 0 : held;
          if (count >= perUser) {
            return held;
          }
          granted[0] = true;
          return count + 1;
        });
    if (!granted[0]) {
      return Optional.empty();
    }
    open.incrementAndGet();
    return Optional.of(new Slot(userId));
  }

  int perUser() {
    return perUser;
  }

  /** One stream's place; closing it, whatever ended the stream, gives it back (once). */
  final class Slot implements AutoCloseable {
    private final UUID userId;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Slot(UUID userId) {
      this.userId = userId;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        openPerUser.computeIfPresent(userId, (user, held) -> held > 1 ? held - 1 : null);
        open.decrementAndGet();
      }
    }
  }
}
