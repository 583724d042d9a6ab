package dev.ttsapi.worker;

import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.TimedPcm;
import dev.ttsapi.engine.Voice;
import dev.ttsapi.engine.VoiceCatalog;
import dev.ttsapi.queue.LiveQueue;
import dev.ttsapi.queue.LiveQueue.LiveJob;
import dev.ttsapi.redis.Redis;
import dev.ttsapi.timings.Timings;
import dev.ttsapi.timings.TimingsRecorder;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streamed ({@code /v1/audio/speech}) jobs an API-only node handed over: each chunk is sent to
 * Redis as soon as it is synthesized, the way {@link ChunkedSynthesis} makes them for an answer in
 * process. A job stops when its client has gone (the cancel key), which stops the chunks not yet
 * synthesized. Live jobs are at most once: one that fails says so on its chunk stream.
 */
final class LiveJobs implements JobSource<LiveJob> {

  private static final Logger log = LoggerFactory.getLogger(LiveJobs.class);
  private static final Duration REQUEUE_DELAY = Duration.ofMillis(50);

  private final LiveQueue queue;
  private final Redis.BlockingConnection connection;
  private final String consumer;
  private final Duration block;
  private final ChunkedSynthesis synthesis;
  private final VoiceCatalog voices;

  LiveJobs(
      LiveQueue queue,
      String consumer,
      Duration block,
      ChunkedSynthesis synthesis,
      VoiceCatalog voices) {
    this.queue = queue;
    this.connection = queue.readerConnection(block);
    this.consumer = consumer;
    this.block = block;
    this.synthesis = synthesis;
    this.voices = voices;
  }

  @Override
  public Optional<LiveJob> next(boolean slotWanted) {
    return queue.take(connection, consumer, block);
  }

  @Override
  public void run(LiveJob job, Slot slot) {
    if (queue.expired(job)) {
      log.debug("Live job {} expired before a worker took it", job.id());
      return;
    }
    if (queue.cancelled(job.id())) {
      log.debug("Live job {} was cancelled by its client before a worker took it", job.id());
      return;
    }
    Optional<Voice> installed = voices.find(job.voice());
    if (installed.isEmpty()) {
      // Workers may have different engines installed: leave the job to one that has the voice
      // (until it expires, after which the API node has given up).
      try {
        Thread.sleep(REQUEUE_DELAY);
        queue.enqueue(job);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    try (ChunkedSynthesis.ChunkStream chunks =
        synthesis.open(
            job.text(), installed.get(), new SpeechSettings(job.speed(), 0), job.sampleRate())) {
      // what is heard in each chunk goes with it, for the client's timing events
      TimingsRecorder timings =
          new TimingsRecorder(job.text(), false, installed.get().language(), job.sampleRate());
      int index = 0;
      for (Optional<TimedPcm> chunk = chunks.nextTimed();
          chunk.isPresent();
          chunk = chunks.nextTimed()) {
        if (queue.cancelled(job.id())) {
          log.debug("Live job {} cancelled by its client", job.id());
          return; // closing the stream stops the chunks not yet made
        }
        timings.speech(chunks.text(index++), chunk.get().pcm(), chunk.get().words());
        queue.sendChunk(job.id(), chunk.get().pcm(), Timings.toJson(timings.drain()));
      }
      queue.sendEnd(job.id(), chunks.usage().characters());
    } catch (RuntimeException e) {
      log.warn("Live job {} failed: {}", job.id(), e.toString());
      try {
        queue.sendFailure(job.id(), e.getMessage());
      } catch (RuntimeException ignored) {
        // Redis is gone too: the API node times out
      }
    }
  }

  @Override
  public void close() {
    connection.close();
  }
}
