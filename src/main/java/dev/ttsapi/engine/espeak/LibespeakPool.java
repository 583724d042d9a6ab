package dev.ttsapi.engine.espeak;

import dev.ttsapi.engine.SynthesisException;
import dev.ttsapi.engine.Voice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies of libespeak-ng, one per synthesis running at once: a caller takes an idle copy, or loads
 * a new one while fewer than {@code max} exist, or waits for one (interruptibly, up to its
 * deadline). So syntheses run in parallel, each in a copy with globals of its own, and no caller
 * waits on a lock another caller holds.
 *
 * <p>A copy that has spoken is loaded afresh before it speaks again ({@link Libespeak#reload}), on
 * a thread of the pool's own, so the caller does not wait for it; a copy that fails to load is
 * dropped and its place freed.
 */
final class LibespeakPool implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LibespeakPool.class);

  /**
   * libespeak-ng version 1 where Debian and Ubuntu (amd64, arm64), Fedora and others install it:
   * the first that exists.
   */
  static final Path DEFAULT_LIBRARY =
      Stream.of(
              "/usr/lib/x86_64-linux-gnu/libespeak-ng.so.1",
              "/usr/lib/aarch64-linux-gnu/libespeak-ng.so.1",
              "/usr/lib64/libespeak-ng.so.1",
              "/usr/lib/libespeak-ng.so.1")
          .map(Path::of)
          .filter(Files::isReadable)
          .findFirst()
          .orElse(Path.of("/usr/lib/x86_64-linux-gnu/libespeak-ng.so.1"));

  private final Path library;
  private final int max;
  private final BlockingQueue<Libespeak> idle = new LinkedBlockingQueue<>();
  private final EspeakData data;
  private int loaded;
  private final AtomicInteger busy = new AtomicInteger();

  /** Loads used copies afresh off the callers' threads, as many at once as there are cores. */
  private final ExecutorService reloader =
      Executors.newFixedThreadPool(
          Runtime.getRuntime().availableProcessors(),
          Thread.ofPlatform().name("espeak-ng-reload-", 0).daemon().factory());

  private final String version;
  private final int sampleRate;
  private final List<Voice> voices;
  private boolean closed;

  /**
   * Loads the first copy of {@code library} (more as callers need them, up to {@code max}) and
   * reads espeak-ng's version and voices from it.
   *
   * @throws IOException or a {@link LinkageError} or {@link IllegalStateException} when the library
   *     cannot be copied, loaded or initialized
   */
  LibespeakPool(Path library, int max) throws IOException {
    if (max < 1) {
      throw new IllegalArgumentException("at least one copy of libespeak-ng");
    }
    if (!Files.isReadable(library)) {
      throw new IOException(library + " is not there");
    }
    this.library = library;
    this.max = max;
    LibespeakVoices.Listing listing;
    Path installed;
    try (Libespeak first = open(null)) {
      version = first.version();
      sampleRate = first.sampleRate();
      listing = LibespeakVoices.list(first);
      installed = first.dataPath();
    }
    voices = listing.voices();
    EspeakData linked = null;
    try {
      linked = EspeakData.linking(installed, listing.files());
    } catch (IOException | RuntimeException e) {
      log.warn(
          "No directory of links to espeak-ng's voices ({}): each synthesis searches every voice"
              + " file for its voice",
          e.toString());
    }
    data = linked;
    loaded = 1;
    idle.add(load());
  }

  String version() {
    return version;
  }

  int sampleRate() {
    return sampleRate;
  }

  List<Voice> voices() {
    return voices;
  }

  /** Syntheses under way or copies being reloaded, for tests that check nothing keeps running. */
  int busy() {
    return busy.get();
  }

  /**
   * Runs {@code speech} with a copy of its own and returns what the copy spoke.
   *
   * @throws SynthesisException when interrupted while waiting for a copy (the interrupt is kept),
   *     or no copy came free before the deadline
   */
  LibespeakSpeech speak(
      String input, String voice, int wordsPerMinute, int pitch, LibespeakSpeech speech) {
    Libespeak espeak = take(speech);
    busy.incrementAndGet();
    try {
      return espeak.speak(input, voice, wordsPerMinute, pitch, speech);
    } finally {
      reloadAndGiveBack(espeak);
    }
  }

  /**
   * The copy is loaded afresh on the reloading thread, not the caller's, so the caller has its
   * audio as soon as espeak-ng has spoken; {@link #busy} counts it until it is back.
   */
  private void reloadAndGiveBack(Libespeak espeak) {
    try {
      reloader.execute(
          () -> {
            try {
              giveBack(espeak);
            } finally {
              busy.decrementAndGet();
            }
          });
    } catch (RejectedExecutionException closing) {
      try {
        drop(espeak);
      } finally {
        busy.decrementAndGet();
      }
    }
  }

  private Libespeak take(LibespeakSpeech speech) {
    Libespeak espeak = idle.poll();
    if (espeak != null) {
      return espeak;
    }
    if (reserve()) {
      try {
        return load();
      } catch (IOException | RuntimeException | LinkageError e) {
        unreserve();
        log.warn("Cannot load another copy of libespeak-ng; waiting for one in use", e);
      }
    }
    try {
      espeak = idle.poll(speech.nanosLeft(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SynthesisException("interrupted while waiting for espeak-ng", e);
    }
    if (espeak == null) {
      throw new SynthesisException("no copy of espeak-ng came free before the deadline");
    }
    return espeak;
  }

  /** Loads afresh and puts back; a copy that cannot be loaded is dropped and its place freed. */
  private void giveBack(Libespeak espeak) {
    try {
      espeak.reload();
    } catch (RuntimeException | LinkageError e) {
      log.warn("A copy of libespeak-ng failed to load again and is dropped", e);
      drop(espeak);
      return;
    }
    synchronized (this) {
      if (!closed) {
        idle.add(espeak);
        return;
      }
    }
    drop(espeak);
  }

  private void drop(Libespeak espeak) {
    try {
      espeak.close();
    } finally {
      unreserve();
    }
  }

  private synchronized boolean reserve() {
    if (closed || loaded >= max) {
      return false;
    }
    loaded++;
    return true;
  }

  private synchronized void unreserve() {
    loaded--;
    if (closed && loaded == 0 && data != null) {
      data.close(); // the last copy that read it is gone
    }
  }

  private Libespeak load() throws IOException {
    return open(data == null ? null : data.directory());
  }

  private Libespeak open(Path dataPath) throws IOException {
    LibraryCopy copy = LibraryCopy.of(library, "libespeak-ng");
    try {
      return new Libespeak(copy, dataPath);
    } catch (RuntimeException | LinkageError e) {
      copy.close();
      throw e;
    }
  }

  /** Unloads the idle copies now, those in use when they come back. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    reloader.shutdown(); // what it has yet to reload it drops
    Libespeak espeak;
    while ((espeak = idle.poll()) != null) {
      drop(espeak);
    }
  }
}
