package dev.ttsapi.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.backpressure.BackpressureProperties;
import dev.ttsapi.maintenance.MaintenanceProperties;
import dev.ttsapi.observability.ObservabilityProperties;
import dev.ttsapi.queue.QueueProperties;
import dev.ttsapi.request.AudioCacheScope;
import dev.ttsapi.request.RequestProperties;
import dev.ttsapi.runtime.Role;
import dev.ttsapi.stores.StoresProperties;
import dev.ttsapi.support.ApplicationYaml;
import dev.ttsapi.worker.WorkerProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;

/**
 * application.yaml is the one place defaults live; these are the ones the README and the issues
 * promise, read from it with no environment variable set.
 */
class DefaultsTest {

  private static Binder binder;

  @BeforeAll
  static void loadApplicationYaml() throws IOException {
    StandardEnvironment environment = ApplicationYaml.environment();
    binder = Binder.get(environment);
  }

  @Test
  void the_service_listens_on_the_seeds_port_with_all_roles_and_embedded_stores() {
    assertThat(binder.bind("server.port", Integer.class).get()).isEqualTo(8000);
    assertThat(Role.parse(binder.bind(Role.PROPERTY, String.class).get())).hasSize(3);
    StoresProperties stores = binder.bind("tts.stores", StoresProperties.class).get();
    assertThat(stores.embeddedDatabase()).isTrue();
    assertThat(stores.embeddedRedis()).isTrue();
    assertThat(stores.embeddedDurable()).isTrue();
    assertThat(stores.dataDir().normalize()).isEqualTo(Path.of("data"));
  }

  @Test
  void request_and_queue_limits() {
    RequestProperties request = binder.bind("tts.request", RequestProperties.class).get();
    assertThat(request.maxTextLength()).isEqualTo(100_000);
    assertThat(binder.bind("tts.marytts-api.max-text-length", Integer.class).get()).isEqualTo(5000);
    assertThat(request.audioCache()).isEqualTo(AudioCacheScope.SHARED);
    assertThat(request.groupCommitWait()).isEqualTo(Duration.ZERO);
    assertThat(request.groupCommitRows()).isEqualTo(128);
    assertThat(request.groupCommitPending()).isEqualTo(10_000);
    assertThat(request.completionGroupWait()).isEqualTo(Duration.ZERO);
    assertThat(request.completionGroupRows()).isEqualTo(64);
    QueueProperties queue = binder.bind("tts.queue", QueueProperties.class).get();
    assertThat(queue.maxAttempts()).isEqualTo(3);
    assertThat(queue.visibilityTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(queue.perUserMaxJobs()).isEqualTo(8);
    StoresProperties stores = binder.bind("tts.stores", StoresProperties.class).get();
    assertThat(stores.redisCommandTimeout()).isGreaterThan(queue.blockTimeout());
  }

  @Test
  void workers_use_one_slot_per_core_and_partitions_are_kept_two_months_ahead() {
    assertThat(binder.bind("tts.worker", WorkerProperties.class).get().effectiveSlots())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(
            binder
                .bind("tts.maintenance", MaintenanceProperties.class)
                .get()
                .partitionMonthsAhead())
        .isEqualTo(2);
  }

  @Test
  void retention_is_thirty_days() {
    MaintenanceProperties maintenance =
        binder.bind("tts.maintenance", MaintenanceProperties.class).get();
    assertThat(maintenance.retention()).isEqualTo(Duration.ofDays(30));
    assertThat(maintenance.retentionInterval()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void workers_pause_above_85_percent_heap_and_the_queue_limit_favours_high_priority() {
    BackpressureProperties b = binder.bind("tts.backpressure", BackpressureProperties.class).get();
    assertThat(b.workerHeapFraction()).isEqualTo(0.85);
    assertThat(b.maxQueueDepth()).isEqualTo(10_000);
    assertThat(b.highPriorityMaxQueueDepth()).isGreaterThan(b.maxQueueDepth());
    assertThat(b.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(b.queueDepthCache()).isLessThanOrEqualTo(Duration.ofSeconds(2));
    ObservabilityProperties o =
        binder.bind("tts.observability", ObservabilityProperties.class).get();
    assertThat(o.maxProfileSeconds()).isEqualTo(120);
    assertThat(o.accessLog()).isEqualTo(ObservabilityProperties.AccessLogMode.ASYNC);
  }

  @Test
  void metrics_stay_on_the_main_port_until_a_management_port_is_set() {
    // MANAGEMENT_PORT unset: no management port of its own, so /metrics answers beside the API.
    assertThat(binder.bind("management.server.port", Integer.class).isBound()).isFalse();
  }
}
