package dev.ttsapi.console;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One open {@code GET /tts/events} stream. Redis delivers messages on Lettuce's event loop, which
 * must never wait on a slow client, so messages go into a bounded buffer and a virtual thread of
 * this stream writes them out. A client that lets the buffer fill is disconnected; it reconnects
 * and reads the current status again.
 */
final class EventStream {

  private static final Logger log = LoggerFactory.getLogger(EventStream.class);
  private static final String HEARTBEAT = "";

  private final UUID userId;
  private final SseEmitter emitter;
  private final BlockingQueue<String> buffer;
  private final long heartbeatMillis;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Runnable onClose;

  EventStream(
      UUID userId, SseEmitter emitter, int bufferSize, long heartbeatMillis, Runnable onClose) {
    this.userId = userId;
    this.emitter = emitter;
    this.buffer = new ArrayBlockingQueue<>(bufferSize);
    this.heartbeatMillis = heartbeatMillis;
    this.onClose = onClose;
    emitter.onCompletion(this::closed);
    emitter.onTimeout(this::closed);
    emitter.onError(e -> closed());
  }

  UUID userId() {
    return userId;
  }

  SseEmitter emitter() {
    return emitter;
  }

  /** Starts the writer: a {@code ready} event first, so a client knows it is subscribed. */
  void start() {
    Thread.ofVirtual().name("sse-" + userId).start(this::writeLoop);
  }

  /** Queues a status event (JSON); false, and the stream is closed, when the buffer is full. */
  boolean offer(String json) {
    if (closed.get()) {
      return false;
    }
    if (!buffer.offer(json)) {
      log.info("Event stream of user {} fell {} events behind; closing it", userId, buffer.size());
      close();
      return false;
    }
    return true;
  }

  void close() {
    if (!closed.get()) {
      emitter.complete();
      closed();
    }
  }

  private void closed() {
    if (closed.compareAndSet(false, true)) {
      onClose.run();
    }
  }

  private void writeLoop() {
    try {
      emitter.send(SseEmitter.event().name("ready").data("{}", MediaType.APPLICATION_JSON));
      while (!closed.get()) {
        String next = buffer.poll(heartbeatMillis, TimeUnit.MILLISECONDS);
        if (next == null) {
          emitter.send(SseEmitter.event().comment(HEARTBEAT));
        } else {
          emitter.send(SseEmitter.event().name("status").data(next, MediaType.APPLICATION_JSON));
        }
      }
    } catch (IOException | IllegalStateException e) {
      // The client went away (or the emitter completed): nothing to tell anyone.
      closed();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
    }
  }
}
