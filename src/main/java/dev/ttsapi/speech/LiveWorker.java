package dev.ttsapi.speech;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.Voice;
import dev.ttsapi.engine.VoiceCatalog;
import dev.ttsapi.queue.LiveQueue;
import dev.ttsapi.queue.LiveQueue.LiveJob;
import dev.ttsapi.redis.Redis;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import dev.ttsapi.worker.LiveSynthesis;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The worker side of streaming across processes: takes live jobs from {@link LiveQueue}, one per
 * free slot, and sends each chunk to Redis as soon as it is synthesized. Stops a job when its
 * client has gone (the cancel key), which cancels the chunks not yet synthesized.
 */
@Component
@ConditionalOnRole(Role.WORKER)
class LiveWorker implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(LiveWorker.class);
  private static final Duration BLOCK = Duration.ofMillis(500);
  private static final Duration REQUEUE_DELAY = Duration.ofMillis(50);

  private final LiveQueue channel;
  private final LiveSynthesis synthesis;
  private final VoiceCatalog voices;
  private final String consumer;
  private final Semaphore slots;
  private ExecutorService jobs;
  private volatile boolean running;
  private Thread loop;

  LiveWorker(
      LiveQueue channel,
      LiveSynthesis synthesis,
      VoiceCatalog voices,
      OpenAiApiProperties properties) {
    this.channel = channel;
    this.synthesis = synthesis;
    this.voices = voices;
    this.consumer = "live-" + ProcessHandle.current().pid() + "-" + java.util.UUID.randomUUID();
    this.slots = new Semaphore(properties.workerSlots());
  }

  @Override
  public synchronized void start() {
    jobs = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("live-", 1).factory());
    running = true;
    loop = Thread.ofVirtual().name("live-dispatcher").start(this::dispatch);
  }

  private void dispatch() {
    Redis.BlockingConnection connection = null;
    try {
      while (running) {
        slots.acquire();
        Optional<LiveJob> job;
        try {
          if (connection == null) {
            connection = channel.readerConnection(BLOCK);
          }
          job = channel.take(connection, consumer, BLOCK);
        } catch (RuntimeException e) {
          slots.release();
          if (!running) {
            break;
          }
          log.warn("Live worker cannot read its queue, retrying: {}", e.toString());
          Thread.sleep(500);
          continue;
        }
        if (job.isEmpty()) {
          slots.release();
          continue;
        }
        LiveJob taken = job.get();
        jobs.execute(
            () -> {
              try {
                speak(taken);
              } finally {
                slots.release();
              }
            });
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (connection != null) {
        connection.close();
      }
    }
  }

  private void speak(LiveJob job) {
    if (channel.expired(job)) {
      log.debug("Live job {} expired before a worker took it", job.id());
      return;
    }
    if (channel.cancelled(job.id())) {
      log.debug("Live job {} was cancelled by its client before a worker took it", job.id());
      return;
    }
    Optional<Voice> installed = voices.find(job.voice());
    if (installed.isEmpty()) {
      // Workers may have different engines installed: leave the job to one that has the voice
      // (until it expires, after which the API node has given up).
      try {
        Thread.sleep(REQUEUE_DELAY);
        channel.enqueue(job);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    try {
      Voice voice = installed.get();
      try (LiveSynthesis.ChunkStream chunks =
          synthesis.open(job.text(), voice, new SpeechSettings(job.speed(), 0), job.sampleRate())) {
        Optional<Pcm> chunk;
        while ((chunk = chunks.next()).isPresent()) {
          if (channel.cancelled(job.id())) {
            log.debug("Live job {} cancelled by its client", job.id());
            return; // closing the stream cancels the chunks not yet made
          }
          channel.sendChunk(job.id(), chunk.get());
        }
        channel.sendEnd(job.id(), chunks.usage().characters());
      }
    } catch (RuntimeException e) {
      log.warn("Live job {} failed: {}", job.id(), e.toString());
      try {
        channel.sendFailure(job.id(), e.getMessage());
      } catch (RuntimeException ignored) {
        // Redis is gone too: the API node times out
      }
    }
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (loop != null) {
      loop.interrupt();
      try {
        loop.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (jobs != null) {
      jobs.shutdownNow();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
