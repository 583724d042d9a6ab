package dev.ttsapi.observability;

import dev.ttsapi.web.PublicEndpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Probes for orchestrators. Liveness: the process answers HTTP. Readiness: warm-up is done and
 * PostgreSQL and the audio store answered their last check ({@link StoreProbe}); 503 otherwise,
 * with the reason. Redis is reported but does not decide: every node shares it, so its outage would
 * pull every node out of rotation at once, while each can still accept requests into PostgreSQL,
 * answer status and serve audio; the body then says {@code "degraded": ["redis"]}. A stopping node
 * answers 503 ({@code "shutdown": "draining"}) through its {@link DrainWindow} while it still
 * serves. Neither probe does I/O of its own.
 */
@RestController
@PublicEndpoint
class HealthProbes {

  private final WarmUp warmUp;
  private final StoreProbe stores;
  private final DrainWindow drain;

  HealthProbes(WarmUp warmUp, StoreProbe stores, DrainWindow drain) {
    this.warmUp = warmUp;
    this.stores = stores;
    this.drain = drain;
  }

  @GetMapping("/health/live")
  Map<String, String> live() {
    return Map.of("status", "UP");
  }

  @GetMapping("/health/ready")
  ResponseEntity<Map<String, Object>> ready() {
    Map<String, Object> checks = new LinkedHashMap<>();
    checks.put("warm_up", warmUp.done() ? "done" : "running");
    checks.put("postgresql", stores.postgres().up() ? "up" : "down");
    checks.put("redis", stores.redis().up() ? "up" : "down");
    checks.put("audio_store", stores.audio().up() ? "up" : "down");
    if (drain.draining()) {
      checks.put("shutdown", "draining");
    }
    boolean ready = warmUp.done() && stores.canServe() && !drain.draining();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", ready ? "UP" : "DOWN");
    body.put("checks", checks);
    if (ready && !stores.redis().up()) {
      body.put("degraded", List.of("redis"));
    }
    return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
  }
}
