package dev.ttsapi.redis;

import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Lettuce's client resources with Micrometer command latencies ({@code lettuce_command_*}, per
 * command type, with the buckets of {@code management.metrics.distribution.slo.lettuce.command})
 * and the connection-level metrics Lettuce records itself.
 */
@Configuration(proxyBeanMethods = false)
class LettuceMetricsConfiguration {

  /** Lettuce's labels with the client's and the server's socket address. */
  private static final Set<String> ADDRESS_TAGS = Set.of("local", "remote");

  @Bean(destroyMethod = "shutdown")
  ClientResources lettuceClientResources(MeterRegistry registry) {
    // No histogram of Lettuce's own (some 85 buckets per command): application.yaml's bounds.
    MicrometerOptions options = MicrometerOptions.builder().histogram(false).build();
    return ClientResources.builder()
        .commandLatencyRecorder(new MicrometerCommandLatencyRecorder(registry, options))
        .build();
  }

  /**
   * Lettuce labels every command's latency with where Redis runs ({@code remote="/10.0.0.5:6379"}):
   * the metrics would show the address to anyone who reads them, and start new series whenever it
   * changes (a failover, a new IP). Only the command name is kept.
   */
  @Bean
  MeterFilter lettuceMetricsWithoutAddresses() {
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith("lettuce.")) {
          return id;
        }
        return id.replaceTags(
            id.getTags().stream().filter(tag -> !ADDRESS_TAGS.contains(tag.getKey())).toList());
      }
    };
  }
}
