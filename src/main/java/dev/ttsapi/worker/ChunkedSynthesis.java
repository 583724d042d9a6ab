package dev.ttsapi.worker;

import dev.ttsapi.audio.Joins;
import dev.ttsapi.audio.Loudness;
import dev.ttsapi.audio.Pcm;
import dev.ttsapi.audio.Resampler;
import dev.ttsapi.engine.EngineLogs;
import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.SynthesisException;
import dev.ttsapi.engine.SynthesisUsage;
import dev.ttsapi.engine.TimedPcm;
import dev.ttsapi.engine.Voice;
import dev.ttsapi.engine.VoiceCatalog;
import dev.ttsapi.text.SentenceSplitter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Text to PCM chunks handed out one by one as they are made, for streaming answers: the text is
 * split and each chunk processed exactly as {@link SynthesisPipeline} does (same splitting, sample
 * rate and loudness, ends faded to zero by {@link Joins} so no join clicks), a bounded window of
 * chunks synthesizing ahead on the shared {@link SynthesisPool}. Nothing is stored. Closing a
 * {@link ChunkStream} early stops the synthesis of the rest, so a client that goes away (or a chunk
 * that fails) costs at most the chunks being spoken at that moment. What an engine logs about the
 * text while speaking it is held back ({@link EngineLogs}) and summed up in one WARN per stream
 * when it closes.
 */
@Component
public class ChunkedSynthesis {

  private static final Logger log = LoggerFactory.getLogger(ChunkedSynthesis.class);

  /** Longest first chunk: what a listener waits for before the first word. */
  static final int FIRST_CHUNK_CHARACTERS = 150;

  private final VoiceCatalog voices;
  private final SynthesisPool pool;
  private final WorkerProperties properties;

  ChunkedSynthesis(VoiceCatalog voices, SynthesisPool pool, WorkerProperties properties) {
    this.voices = voices;
    this.pool = pool;
    this.properties = properties;
  }

  /**
   * Starts synthesizing {@code text} with {@code voice} at {@code sampleRate}; chunks come out of
   * the returned stream in text order.
   */
  public ChunkStream open(String text, Voice voice, SpeechSettings settings, int sampleRate) {
    SpeechEngine engine = voices.engineFor(voice);
    int chunkLimit = Math.min(properties.chunkCharacters(), engine.maxInputCharacters());
    Locale locale = Locale.forLanguageTag(voice.language());
    return new ChunkStream(
        chunks(text, chunkLimit, locale).stream()
            .map(chunk -> Piece.of(chunk, voice, settings))
            .toList(),
        engine,
        sampleRate);
  }

  /** The same, for chunks already cut by the caller. */
  ChunkStream open(List<String> chunks, Voice voice, SpeechSettings settings, int sampleRate) {
    return new ChunkStream(
        chunks.stream().map(text -> Piece.of(text, voice, settings)).toList(),
        voices.engineFor(voice),
        sampleRate);
  }

  /** The same, for pieces that each say how they are spoken (SSML's spans, pauses). */
  ChunkStream openPieces(List<Piece> pieces, Voice voice, int sampleRate) {
    return new ChunkStream(pieces, voices.engineFor(voice), sampleRate);
  }

  /**
   * One step of a stream: words for an engine call, or silence.
   *
   * @param phonemes the words in the engine's phoneme notation, or null to speak {@code text}
   * @param gain what the samples are multiplied by after the loudness is evened (SSML volume)
   * @param silenceMs for a pause, its length; then nothing is synthesized
   * @param trimLead cut the engine's own silence before the words (a pause comes before them)
   * @param trimTrail cut the engine's own silence after the words (a pause follows them)
   */
  record Piece(
      String text,
      String phonemes,
      Voice voice,
      SpeechSettings settings,
      double gain,
      int silenceMs,
      boolean trimLead,
      boolean trimTrail) {

    static Piece of(String text, Voice voice, SpeechSettings settings) {
      return new Piece(text, null, voice, settings, 1.0, 0, false, false);
    }

    static Piece silence(int millis) {
      return new Piece(null, null, null, null, 1.0, millis, false, false);
    }

    boolean isSilence() {
      return text == null;
    }

    Piece trimmed(boolean lead, boolean trail) {
      return new Piece(text, phonemes, voice, settings, gain, silenceMs, lead, trail);
    }
  }

  /**
   * The first chunk is kept short (about a sentence) so the first audio comes soon; the rest are
   * packed up to the usual chunk size, which is what the pipeline sends for the same text when it
   * is short.
   */
  static List<String> chunks(String text, int chunkLimit, Locale locale) {
    List<String> small =
        SentenceSplitter.split(text, Math.min(chunkLimit, FIRST_CHUNK_CHARACTERS), locale);
    if (small.size() <= 1) {
      return small;
    }
    List<String> chunks = new ArrayList<>();
    chunks.add(small.getFirst());
    chunks.addAll(SentenceSplitter.pack(small.subList(1, small.size()), chunkLimit));
    return chunks;
  }

  /** The chunks of one text, in order; not thread-safe (one reader). */
  public final class ChunkStream implements AutoCloseable {

    private final List<Piece> chunks;
    private final SpeechEngine engine;
    private final int sampleRate;
    private final Deque<Future<TimedPcm>> inFlight = new ArrayDeque<>();
    private final AtomicReference<SynthesisUsage> usage =
        new AtomicReference<>(SynthesisUsage.NONE);
    private final EngineLogs.Tally heldBack = new EngineLogs.Tally();
    private int submitted;
    private int handedOut;
    private volatile boolean closed;

    private ChunkStream(List<Piece> chunks, SpeechEngine engine, int sampleRate) {
      this.chunks = chunks;
      this.engine = engine;
      this.sampleRate = sampleRate;
      fill();
    }

    public int chunkCount() {
      return chunks.size();
    }

    /** The next chunk's PCM, waiting for it; empty once every chunk has been handed out. */
    public Optional<Pcm> next() {
      return nextTimed().map(TimedPcm::pcm);
    }

    /**
     * The next chunk's PCM with the words its engine measured (characters of the chunk's text,
     * samples of this PCM; none for silence, phonemes, or an engine that measures nothing).
     */
    public Optional<TimedPcm> nextTimed() {
      if (closed || handedOut >= chunks.size()) {
        return Optional.empty();
      }
      TimedPcm chunk = await(inFlight.poll());
      handedOut++;
      fill();
      return Optional.of(chunk);
    }

    /** The text of the chunk {@code index} (null for silence). */
    public String text(int index) {
      return chunks.get(index).text();
    }

    /** What the chunks synthesized so far cost, added up. */
    public SynthesisUsage usage() {
      return usage.get();
    }

    /** Keeps the window full: enough chunks ahead to use the pool, never the whole text. */
    private void fill() {
      int window = pool.size() * 2;
      while (!closed && submitted < chunks.size() && inFlight.size() < window) {
        Piece chunk = chunks.get(submitted++);
        inFlight.add(pool.submit(() -> synthesize(chunk)));
      }
    }

    private TimedPcm synthesize(Piece chunk) {
      if (closed) {
        throw new SynthesisException("stream closed");
      }
      if (chunk.isSilence()) {
        return TimedPcm.untimed(SpanAudio.silence(chunk.silenceMs(), sampleRate));
      }
      SpeechEngine speaker = voices.engineFor(chunk.voice());
      TimedPcm made;
      try (EngineLogs.Scope held = EngineLogs.during(heldBack)) {
        if (chunk.phonemes() != null) {
          made =
              TimedPcm.untimed(
                  speaker.synthesizePhonemes(
                      chunk.phonemes(), chunk.text(), chunk.voice(), chunk.settings()));
          usage.accumulateAndGet(SynthesisUsage.ofCharacters(chunk.text()), SynthesisUsage::plus);
        } else if (WordMeasuring.measuresWords(speaker)) {
          made = speaker.synthesizeTimed(chunk.text(), chunk.voice(), chunk.settings());
          usage.accumulateAndGet(SynthesisUsage.ofCharacters(chunk.text()), SynthesisUsage::plus);
        } else {
          made =
              TimedPcm.untimed(
                  speaker.synthesize(
                      chunk.text(),
                      chunk.voice(),
                      chunk.settings(),
                      used -> usage.accumulateAndGet(used, SynthesisUsage::plus)));
        }
      }
      Pcm even = Loudness.normalize(Resampler.resample(made.pcm(), sampleRate));
      int lead = SpanAudio.leadCut(even, chunk.trimLead());
      // faded in place, last: the chunk keeps its length (so the timings below stay true), and
      // its ends meet the next chunk's at zero
      Pcm out =
          Joins.fadeEdges(
              SpanAudio.gain(
                  SpanAudio.trim(even, chunk.trimLead(), chunk.trimTrail()), chunk.gain()));
      return new TimedPcm(
          out,
          WordMeasuring.moved(
              made.words(), made.pcm().sampleCount(), even.sampleCount(), lead, out.sampleCount()));
    }

    /**
     * Cancels the chunks no engine has started; the ones being spoken run to their end and are
     * dropped. An engine is never interrupted mid-chunk: MaryTTS's own vocoder threads wait for
     * their reader to take every sample, so a read cut short left them parked, with their memory,
     * for good. Then says in one line what the engine logged about the text, without the text.
     */
    @Override
    public void close() {
      boolean first = !closed;
      closed = true;
      inFlight.forEach(f -> f.cancel(false));
      inFlight.clear();
      if (first && !heldBack.isEmpty()) {
        log.warn(
            "Engine {} logged {} warnings and errors while speaking this text; held back, as they"
                + " may quote it: {}",
            engine.id(),
            heldBack.total(),
            heldBack.summary());
      }
    }

    private static TimedPcm await(Future<TimedPcm> chunk) {
      try {
        return chunk.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SynthesisException("interrupted while synthesizing", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new SynthesisException("synthesis failed: " + e.getCause(), e.getCause());
      }
    }
  }
}
