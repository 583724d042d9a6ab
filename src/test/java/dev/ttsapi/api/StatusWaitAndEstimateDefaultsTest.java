package dev.ttsapi.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.request.EstimateProperties;
import dev.ttsapi.support.ApplicationYaml;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;

/** The long-poll and estimate defaults README promises, read from application.yaml. */
class StatusWaitAndEstimateDefaultsTest {

  @Test
  void long_polls_wait_sixty_seconds_at_most_and_estimates_use_the_documented_rates()
      throws IOException {
    Binder binder = Binder.get(ApplicationYaml.environment());

    StatusWaitProperties status = binder.bind("tts.status", StatusWaitProperties.class).get();
    assertThat(status.maxWait()).isEqualTo(Duration.ofSeconds(60));
    assertThat(status.maxWaitingPolls()).isEqualTo(10_000);
    EstimateProperties estimate = binder.bind("tts.estimate", EstimateProperties.class).get();
    assertThat(estimate.defaultCharactersPerSecond()).isEqualTo(14.0);
    assertThat(estimate.charactersPerSecond())
        .containsEntry("ja", 5.0)
        .containsEntry("zh", 5.0)
        .containsEntry("ko", 7.0)
        .containsEntry("vi", 12.0);
    assertThat(estimate.minMeasuredRequests()).isEqualTo(5);
    assertThat(estimate.measureSamples()).isEqualTo(500);
    assertThat(estimate.measureWindow()).isEqualTo(Duration.ofDays(7));
    assertThat(estimate.remeasureEvery()).isEqualTo(Duration.ofMinutes(5));
  }
}
