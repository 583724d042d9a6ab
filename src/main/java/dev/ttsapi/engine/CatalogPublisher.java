package dev.ttsapi.engine;

import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.PeriodicTasks;
import dev.ttsapi.runtime.Role;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * On worker nodes: publishes the engines loaded here as the node starts, and again every {@link
 * #INTERVAL}, which puts back a catalog the database lost (restored from a backup taken before it)
 * and keeps {@code published_at} and {@code published_by} telling who has the engines now.
 */
@Component
@ConditionalOnRole(Role.WORKER)
class CatalogPublisher extends PeriodicTasks {

  static final Duration INTERVAL = Duration.ofMinutes(10);
  private static final Logger log = LoggerFactory.getLogger(CatalogPublisher.class);

  private final VoiceDirectory directory;
  private final String node = ManagementFactory.getRuntimeMXBean().getName(); // pid@host

  CatalogPublisher(TaskScheduler scheduler, VoiceDirectory directory) {
    super(scheduler);
    this.directory = directory;
  }

  /**
   * Publishes once before the node counts as started, on the starting thread: the periodic task's
   * first run is on the scheduler's thread, so an API node asked for a voice just after this worker
   * started could still find nothing published and refuse the request with a 503 (seen in
   * RoleSplitTest). A failure here is logged and the start goes on; the task tries again.
   */
  @Override
  public synchronized void start() {
    publish();
    super.start();
  }

  @Override
  protected List<Task> tasks() {
    return List.of(new Task(this::publish, INTERVAL));
  }

  void publish() {
    try {
      directory.publish(node);
    } catch (RuntimeException e) {
      log.warn("Could not publish this node's voices, will try again: {}", e.toString());
    }
  }
}
