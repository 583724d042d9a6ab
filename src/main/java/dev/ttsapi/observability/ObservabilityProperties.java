package dev.ttsapi.observability;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Metrics and health.
 *
 * @param storeCheckInterval how often PostgreSQL, Redis and the audio store are checked for
 *     readiness and round-trip times
 * @param maxProfileSeconds longest JFR profile {@code POST /admin/profile} records
 * @param drainWindow how long a stopping API node reports not-ready while it still serves, before
 *     its shutdown starts
 * @param warmUpHotPaths how long the warm-up runs the API's hot paths ({@link WarmUpStep}: submit,
 *     cache hit, status) before the node reports ready, so the JIT has compiled them when the first
 *     users come; 0 = not at all
 * @param accessLog how the access log ({@code tts.access}) is written: {@code async} hands each
 *     line to a writer thread (the request thread only queues it), {@code sync} writes it on the
 *     request thread, {@code off} writes none
 */
@Validated
@ConfigurationProperties("tts.observability")
public record ObservabilityProperties(
    @NotNull Duration storeCheckInterval,
    @Min(1) int maxProfileSeconds,
    @NotNull Duration drainWindow,
    @NotNull AccessLogMode accessLog,
    @NotNull Duration warmUpHotPaths) {

  /** How the access log is written. */
  public enum AccessLogMode {
    ASYNC,
    SYNC,
    OFF
  }
}
