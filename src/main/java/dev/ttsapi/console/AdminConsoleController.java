package dev.ttsapi.console;

import dev.ttsapi.backpressure.QueueDepths;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.queue.QueueInspector;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import dev.ttsapi.web.Admin;
import dev.ttsapi.web.AdminOnly;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /admin/console/overview} (admin key): everything the admin page shows, in one read —
 * queue depth per priority (in the streams or held back by the per-user cap, with the held part
 * apart), jobs completed and failed in the last minute, workers alive and busy, dead letters with
 * their errors, today's cache hit ratio and per-user usage. The page reads it every few seconds; it
 * is cluster-wide (Redis and PostgreSQL), not this node's metrics.
 */
@RestController
@ConditionalOnRole(Role.API)
class AdminConsoleController {

  private static final Duration MINUTE = Duration.ofMinutes(1);

  record Jobs(long completedLastMinute, long failedLastMinute) {}

  record Workers(int alive, int busy, List<QueueView.Worker> consumers) {}

  record DeadLetters(long count, List<QueueInspector.DeadLetter> newest) {}

  record Cache(LocalDate day, long hits, long lookups, Double hitRatio) {}

  record Usage(LocalDate day, List<ConsoleRepository.UserUsage> users) {}

  record Overview(
      Instant generatedAt,
      Map<String, Long> queueDepth,
      long queueDepthTotal,
      Map<String, Long> queueHeld,
      long queueHeldTotal,
      Jobs jobs,
      Workers workers,
      DeadLetters deadLetters,
      Cache cache,
      Usage usageToday,
      int eventStreamsThisNode) {}

  private final QueueDepths depths;
  private final QueueView queueView;
  private final ConsoleRepository repository;
  private final StatusEventHub hub;
  private final Clock clock;

  AdminConsoleController(
      QueueDepths depths,
      QueueView queueView,
      ConsoleRepository repository,
      StatusEventHub hub,
      Clock clock) {
    this.depths = depths;
    this.queueView = queueView;
    this.repository = repository;
    this.hub = hub;
    this.clock = clock;
  }

  @AdminOnly
  @GetMapping(path = "/admin/console/overview", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Overview> overview(Admin admin) {
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    QueueDepths.Snapshot queued = depths.read();
    Map<String, Long> depth = byWireName(queued.depths());
    Map<String, Long> held = byWireName(queued.held());
    ConsoleRepository.Outcomes outcomes = repository.outcomesSince(now.minus(MINUTE));
    List<QueueView.Worker> workers = queueView.workers();
    ConsoleRepository.CacheLookups lookups =
        repository.cacheLookupsSince(today.atStartOfDay().toInstant(ZoneOffset.UTC));
    Overview overview =
        new Overview(
            now,
            depth,
            queued.total(),
            held,
            queued.heldTotal(),
            new Jobs(outcomes.completed(), outcomes.failed()),
            new Workers(
                (int) workers.stream().filter(QueueView.Worker::alive).count(),
                (int) workers.stream().filter(QueueView.Worker::busy).count(),
                workers),
            new DeadLetters(queued.deadLetters(), queueView.newestDeadLetters()),
            new Cache(
                today,
                lookups.hits(),
                lookups.total(),
                lookups.total() == 0 ? null : (double) lookups.hits() / lookups.total()),
            new Usage(today, repository.usageOn(today)),
            hub.openStreams());
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(overview);
  }

  private static Map<String, Long> byWireName(Map<Priority, Long> perPriority) {
    Map<String, Long> named = new LinkedHashMap<>();
    perPriority.forEach((p, n) -> named.put(p.wireName(), n));
    return named;
  }
}
