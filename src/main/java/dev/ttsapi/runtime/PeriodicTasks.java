package dev.ttsapi.runtime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * Work a node repeats on its own timer (reclaiming, renewing, sweeping), started and stopped with
 * the application. Each task runs with a fixed delay, so a slow run is never overlapped by the
 * next; a task must catch its own failures so the next run still happens.
 */
public abstract class PeriodicTasks implements SmartLifecycle {

  /** One repeated piece of work and the pause between its runs. */
  public record Task(Runnable work, Duration every) {}

  private final TaskScheduler scheduler;
  private volatile List<ScheduledFuture<?>> scheduled = List.of();

  protected PeriodicTasks(TaskScheduler scheduler) {
    this.scheduler = scheduler;
  }

  protected abstract List<Task> tasks();

  @Override
  public synchronized void start() {
    scheduled =
        tasks().stream()
            .<ScheduledFuture<?>>map(t -> scheduler.scheduleWithFixedDelay(t.work(), t.every()))
            .toList();
  }

  @Override
  public synchronized void stop() {
    scheduled.forEach(f -> f.cancel(false));
    scheduled = List.of();
  }

  @Override
  public boolean isRunning() {
    return !scheduled.isEmpty();
  }
}
