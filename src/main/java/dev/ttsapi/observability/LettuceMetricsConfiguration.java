package dev.ttsapi.observability;

import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Lettuce's client resources with Micrometer command latencies ({@code lettuce_command_*}, per
 * command type, with histograms) and the connection-level metrics Lettuce records itself.
 */
@Configuration(proxyBeanMethods = false)
class LettuceMetricsConfiguration {

  @Bean(destroyMethod = "shutdown")
  ClientResources lettuceClientResources(MeterRegistry registry) {
    MicrometerOptions options = MicrometerOptions.builder().histogram(true).build();
    return ClientResources.builder()
        .commandLatencyRecorder(new MicrometerCommandLatencyRecorder(registry, options))
        .build();
  }
}
