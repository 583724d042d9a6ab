package dev.ttsapi.engine;

import dev.ttsapi.cache.MultiLevelCache;
import dev.ttsapi.cache.MultiLevelCaches;
import dev.ttsapi.runtime.Role;
import dev.ttsapi.runtime.Roles;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The voices a request may ask for, on every node. A node with the worker role has the engines
 * loaded and answers from its own {@link VoiceCatalog}; it also publishes that catalog (engine
 * versions and voices) to PostgreSQL. A node without the worker role loads no engine (no MaryTTS in
 * its memory): it reads the published catalog through the multi-level cache (its memory, Redis,
 * PostgreSQL), and a worker that publishes a changed catalog evicts every node's copy.
 *
 * <p>A published engine stays known however long ago it was published: with every worker down (a
 * deploy, workers scaled to zero overnight) the API still accepts requests, which wait in the queue
 * for a worker as they would for a busy one. Only before any worker has ever published is there
 * nothing to resolve voices with; submits then get a 503 ({@link VoicesNotKnownYetException}), not
 * a 400 for a voice that is in fact fine.
 */
@Component
public class VoiceDirectory {

  static final String CACHE = "voice-catalog";
  private static final String KEY = "published";

  /** The engines of every worker, as one value of the cache (its JSON in Redis). */
  record Published(List<EngineVoices> engines) {}

  private record Built(Published source, VoiceCatalog catalog) {}

  private final VoiceCatalog local;
  private final boolean enginesHere;
  private final EngineCatalogRepository repository;
  private final MultiLevelCache<Published> published;
  private final Clock clock;
  private final VoiceCatalog none;
  private volatile Built built;

  VoiceDirectory(
      VoiceCatalog local,
      EngineCatalogRepository repository,
      MultiLevelCaches caches,
      Clock clock,
      Roles roles) {
    this.local = local;
    this.enginesHere = roles.runs(Role.WORKER);
    this.repository = repository;
    this.clock = clock;
    this.published =
        caches.create(
            CACHE,
            Published.class,
            // no worker has published yet: ask again next time rather than know no voices
            MultiLevelCaches.Absent.NOT_REMEMBERED,
            key -> {
              List<EngineVoices> engines = repository.published();
              return engines.isEmpty() ? Optional.empty() : Optional.of(new Published(engines));
            });
    this.none = local.describing(List.of());
    this.built = new Built(null, none);
  }

  /** The catalog to resolve and list voices with now. */
  public VoiceCatalog current() {
    if (enginesHere) {
      return local;
    }
    Optional<Published> now = published.get(KEY);
    if (now.isEmpty()) {
      return none;
    }
    Built last = built;
    if (last.source() != now.get()) { // the same instance while the cached copy lasts
      last = new Built(now.get(), local.describing(now.get().engines()));
      built = last;
    }
    return last.catalog();
  }

  /**
   * The catalog to resolve a request's voice with.
   *
   * @throws VoicesNotKnownYetException on a node without engines before any worker has published
   */
  public VoiceCatalog forResolving() {
    VoiceCatalog catalog = current();
    if (catalog == none) {
      throw new VoicesNotKnownYetException();
    }
    return catalog;
  }

  /** Writes this node's engines for the nodes without any; evicts their copies if they changed. */
  void publish(String node) {
    publish(local.describe(), node);
  }

  void publish(List<EngineVoices> engines, String node) {
    if (repository.publish(engines, node, clock.instant())) {
      published.invalidate(KEY);
    }
  }

  /** Evicts every node's copy of the published catalog (after it was changed another way). */
  void forgetPublished() {
    published.invalidate(KEY);
  }
}
