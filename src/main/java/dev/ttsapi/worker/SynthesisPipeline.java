package dev.ttsapi.worker;

import dev.ttsapi.audio.AudioEncoder;
import dev.ttsapi.audio.AudioEncoders;
import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.audio.Loudness;
import dev.ttsapi.audio.Pcm;
import dev.ttsapi.audio.Resampler;
import dev.ttsapi.audio.StoredAudio;
import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.SynthesisException;
import dev.ttsapi.engine.SynthesisUsage;
import dev.ttsapi.engine.Voice;
import dev.ttsapi.engine.VoiceCatalog;
import dev.ttsapi.request.Completion;
import dev.ttsapi.request.TtsRequest;
import dev.ttsapi.text.SentenceSplitter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleConsumer;
import org.springframework.stereotype.Component;

/**
 * Text to stored audio. The text is split at sentence boundaries into chunks the engine accepts;
 * the chunks are synthesized side by side on the {@link SynthesisPool}, each brought to the
 * request's sample rate and to one loudness, and joined in order into a temporary PCM file (so a
 * long document never sits whole in memory); that file is encoded into the audio store under the
 * request's content key. Writing a key twice leaves one object, so a job run twice is harmless.
 */
@Component
class SynthesisPipeline {

  /** Share of progress given to synthesis; encoding and storing take the rest. */
  private static final double SYNTHESIS_SHARE = 0.95;

  /** Chunks in flight per job, per synthesis thread: enough to keep the pool busy, bounded. */
  private static final int WINDOW_PER_THREAD = 2;

  private final VoiceCatalog voices;
  private final AudioStore store;
  private final SynthesisPool pool;
  private final WorkerProperties properties;

  SynthesisPipeline(
      VoiceCatalog voices, AudioStore store, SynthesisPool pool, WorkerProperties properties) {
    this.voices = voices;
    this.store = store;
    this.pool = pool;
    this.properties = properties;
  }

  Completion run(TtsRequest request, DoubleConsumer progress) throws IOException {
    Voice voice =
        voices
            .find(request.voice())
            .orElseThrow(
                () ->
                    new SynthesisException("voice " + request.voice() + " is not installed here"));
    SpeechEngine engine = voices.engineFor(voice);
    SpeechSettings settings = new SpeechSettings(request.speed(), request.pitch());
    int rate = request.sampleRate() > 0 ? request.sampleRate() : voice.sampleRate();
    int chunkLimit = Math.min(properties.chunkCharacters(), engine.maxInputCharacters());
    List<String> chunks =
        SentenceSplitter.split(
            request.text(), chunkLimit, Locale.forLanguageTag(request.language()));
    Path pcmFile = Files.createTempFile("tts-" + request.id(), ".pcm");
    AtomicReference<SynthesisUsage> usage = new AtomicReference<>(SynthesisUsage.NONE);
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(pcmFile))) {
        synthesizeInOrder(
            chunks,
            (chunk, pcmRate) ->
                Loudness.normalize(
                    Resampler.resample(
                        engine.synthesize(
                            chunk,
                            voice,
                            settings,
                            used -> usage.accumulateAndGet(used, SynthesisUsage::plus)),
                        pcmRate)),
            rate,
            out,
            progress);
      }
      long pcmBytes = Files.size(pcmFile);
      AudioEncoder encoder = AudioEncoders.forFormat(request.format());
      StoredAudio stored =
          store.put(
              request.contentKey(),
              request.format(),
              out -> {
                try (InputStream in = Files.newInputStream(pcmFile)) {
                  encoder.encode(in, pcmBytes, rate, out);
                }
              });
      return new Completion(stored.size(), pcmBytes / 2 * 1000 / rate, engine.model(), usage.get());
    } finally {
      Files.deleteIfExists(pcmFile);
    }
  }

  /**
   * Keeps a bounded window of chunks synthesizing on the pool and writes their PCM strictly in text
   * order as each one at the head of the window is done.
   */
  private void synthesizeInOrder(
      List<String> chunks,
      ChunkSynthesis synthesis,
      int rate,
      OutputStream out,
      DoubleConsumer progress)
      throws IOException {
    int window = pool.size() * WINDOW_PER_THREAD;
    Deque<Future<Pcm>> inFlight = new ArrayDeque<>();
    int submitted = 0;
    int written = 0;
    try {
      while (written < chunks.size()) {
        while (submitted < chunks.size() && inFlight.size() < window) {
          String chunk = chunks.get(submitted++);
          inFlight.add(pool.submit(() -> synthesis.apply(chunk, rate)));
        }
        out.write(await(inFlight.poll()).samples());
        written++;
        progress.accept(SYNTHESIS_SHARE * written / chunks.size());
      }
    } finally {
      inFlight.forEach(f -> f.cancel(true));
    }
  }

  /** One chunk to PCM at the request's rate and loudness. */
  @FunctionalInterface
  private interface ChunkSynthesis {
    Pcm apply(String chunk, int rate);
  }

  private static Pcm await(Future<Pcm> chunk) throws IOException {
    try {
      return chunk.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SynthesisException("interrupted while synthesizing", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new SynthesisException("synthesis failed: " + e.getCause(), e.getCause());
    }
  }
}
