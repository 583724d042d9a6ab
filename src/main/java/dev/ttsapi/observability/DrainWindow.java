package dev.ttsapi.observability;

import dev.ttsapi.runtime.Role;
import dev.ttsapi.runtime.Roles;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The first step of an API node's shutdown: readiness goes down and stays down for {@code
 * tts.observability.drain-window} while the node keeps serving, so load balancers and Kubernetes
 * (whose endpoint removal races the SIGTERM) stop sending it calls before it stops accepting them.
 * Only then does the rest of the shutdown start (the web server's graceful phase, workers' grace).
 * It runs on the closing thread, when the context announces its close and before any bean stops.
 */
@Component
public class DrainWindow {

  private static final Logger log = LoggerFactory.getLogger(DrainWindow.class);

  private final ApplicationContext context;
  private final Duration window;
  private volatile boolean draining;

  DrainWindow(ApplicationContext context, ObservabilityProperties properties, Roles roles) {
    this.context = context;
    // A worker-only node takes no calls: nothing routes to it, nothing to wait for.
    this.window = roles.runs(Role.API) ? properties.drainWindow() : Duration.ZERO;
  }

  /** Whether this node is stopping: readiness answers 503 from now on. */
  public boolean draining() {
    return draining;
  }

  @EventListener
  void onClose(ContextClosedEvent event) {
    // The management server's child context announces its own close too; only ours drains.
    if (event.getApplicationContext() != context || draining) {
      return;
    }
    draining = true;
    if (window.isZero() || window.isNegative()) {
      return;
    }
    log.info("Shutting down: not ready, still serving for {} ms", window.toMillis());
    try {
      Thread.sleep(window);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
