package dev.ttsapi.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.idempotency.IdempotencyProperties;
import dev.ttsapi.support.ApplicationYaml;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.unit.DataSize;

/** The fair-use defaults the README promises, read from application.yaml. */
class FairUseDefaultsTest {

  @Test
  void fair_use_defaults() throws IOException {
    StandardEnvironment environment = ApplicationYaml.environment();
    Binder binder = Binder.get(environment);

    RateLimitProperties limits = binder.bind("tts.ratelimit", RateLimitProperties.class).get();
    assertThat(limits.enabled()).isTrue();
    assertThat(limits.requestsPerMinute()).isEqualTo(60);
    assertThat(limits.charactersPerDay()).isEqualTo(1_000_000);
    assertThat(limits.pollRequestsPerMinute()).isEqualTo(600);
    assertThat(limits.pollMultiple()).isEqualTo(10);
    assertThat(limits.keyRequestsPerMinute()).isZero();
    assertThat(limits.failedLoginsPerMinute()).isEqualTo(10);
    assertThat(limits.auditFlushInterval()).isEqualTo(Duration.ofSeconds(5));
    IdempotencyProperties idempotency =
        binder.bind("tts.idempotency", IdempotencyProperties.class).get();
    assertThat(idempotency.ttl()).isEqualTo(Duration.ofHours(24));
    assertThat(binder.bind("tts.input.max-body-size", DataSize.class).get())
        .isEqualTo(DataSize.ofKilobytes(64));
    assertThat(binder.bind("tts.input.max-document-body-size", DataSize.class).get())
        .isEqualTo(DataSize.ofMegabytes(2));
    assertThat(binder.bind("tts.input.max-json-depth", Integer.class).get()).isEqualTo(32);
    assertThat(binder.bind("server.max-http-request-header-size", DataSize.class).get())
        .isEqualTo(DataSize.ofKilobytes(16));
  }
}
