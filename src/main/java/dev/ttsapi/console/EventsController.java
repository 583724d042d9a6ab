package dev.ttsapi.console;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import dev.ttsapi.web.Problem;
import dev.ttsapi.web.ProblemType;
import java.time.Duration;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /tts/events}: server-sent events of every status change of the caller's requests,
 * wherever it happened (see {@link StatusEventHub}). Each {@code status} event's data is {@code
 * {request_id, user_id, status, progress, error?, audio_duration_ms?}}; a {@code ready} event opens
 * the stream.
 *
 * <p>It takes the API key as a Bearer header like every {@code /tts} call. Browsers' {@code
 * EventSource} cannot send headers, so the console reads the stream with {@code fetch()} and parses
 * the events itself: the key never goes into a URL (logged by proxies) or a cookie.
 */
@RestController
@ConditionalOnRole(Role.API)
class EventsController {

  private final StatusEventHub hub;
  private final Duration retryAfter;

  EventsController(StatusEventHub hub, ConsoleProperties properties) {
    this.hub = hub;
    // A slot whose client left is freed within about two heartbeats.
    this.retryAfter = properties.heartbeat().multipliedBy(2);
  }

  @GetMapping("/tts/events")
  ResponseEntity<?> events(Caller caller) {
    StatusEventHub.Opened opened = hub.open(caller.userId());
    if (opened.refusal() == StatusEventHub.Refusal.NODE_FULL) {
      throw new Problem(
              ProblemType.TOO_MANY_STREAMS,
              HttpStatus.SERVICE_UNAVAILABLE,
              "This node serves as many event streams as it may; try again later")
          .retryAfter(retryAfter);
    }
    if (opened.refusal() == StatusEventHub.Refusal.USER_FULL) {
      throw new Problem(
              ProblemType.TOO_MANY_STREAMS,
              "You have as many event streams open as you may; close one first")
          .retryAfter(retryAfter);
    }
    return ResponseEntity.ok()
        .cacheControl(CacheControl.noStore())
        // Proxies such as nginx must pass events on at once rather than buffer them.
        .header("X-Accel-Buffering", "no")
        .body(opened.stream().emitter());
  }
}
