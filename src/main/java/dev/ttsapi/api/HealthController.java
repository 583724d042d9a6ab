package dev.ttsapi.api;

import dev.ttsapi.web.PublicEndpoint;
import java.time.Clock;
import java.time.Instant;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The seed's cheap health check for load balancers: no I/O. */
@RestController
@PublicEndpoint
class HealthController {

  record Health(String status, Instant timestamp, String version) {}

  private final Clock clock;
  private final String version;

  HealthController(Clock clock, ObjectProvider<BuildProperties> build) {
    this.clock = clock;
    BuildProperties properties = build.getIfAvailable();
    String implementation = HealthController.class.getPackage().getImplementationVersion();
    this.version =
        properties != null
            ? properties.getVersion()
            : implementation != null ? implementation : "development";
  }

  @GetMapping("/health")
  Health health() {
    return new Health("healthy", clock.instant(), version);
  }
}
