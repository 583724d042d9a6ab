package dev.ttsapi.webhook;

import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.PeriodicTasks;
import dev.ttsapi.runtime.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Maintenance: forgets ended deliveries (with their attempts), request callback URLs and expired
 * secrets older than {@code tts.webhook.keep-log-for}. Deletes are idempotent, so two maintenance
 * nodes running it at once do no harm.
 */
@Component
@ConditionalOnRole(Role.MAINTENANCE)
class WebhookCleanup extends PeriodicTasks {

  private static final Logger log = LoggerFactory.getLogger(WebhookCleanup.class);
  private static final Duration EVERY = Duration.ofHours(1);

  private final DeliveryRepository deliveries;
  private final WebhookSettingsRepository settings;
  private final WebhookProperties properties;
  private final Clock clock;

  WebhookCleanup(
      DeliveryRepository deliveries,
      WebhookSettingsRepository settings,
      WebhookProperties properties,
      Clock clock,
      TaskScheduler scheduler) {
    super(scheduler);
    this.deliveries = deliveries;
    this.settings = settings;
    this.properties = properties;
    this.clock = clock;
  }

  @Override
  protected List<Task> tasks() {
    return List.of(new Task(this::clean, EVERY));
  }

  void clean() {
    try {
      Instant before = clock.instant().minus(properties.keepLogFor());
      int removed = deliveries.deleteEndedBefore(before) + settings.deleteOlderThan(before);
      if (removed > 0) {
        log.info("Forgot {} old webhook deliveries, callbacks and secrets", removed);
      }
    } catch (RuntimeException e) {
      log.warn("Webhook cleanup failed, will try again: {}", e.toString());
    }
  }
}
