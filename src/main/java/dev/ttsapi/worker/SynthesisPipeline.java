package dev.ttsapi.worker;

import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.audio.ChunkEncoder;
import dev.ttsapi.audio.LevelMeter;
import dev.ttsapi.audio.Pcm;
import dev.ttsapi.audio.StoredAudio;
import dev.ttsapi.engine.NothingToSpeakException;
import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.SynthesisException;
import dev.ttsapi.engine.SynthesisUsage;
import dev.ttsapi.engine.TimedPcm;
import dev.ttsapi.engine.Voice;
import dev.ttsapi.engine.VoiceCatalog;
import dev.ttsapi.request.Completion;
import dev.ttsapi.request.TtsRequest;
import dev.ttsapi.ssml.SsmlReport;
import dev.ttsapi.text.SentenceSplitter;
import dev.ttsapi.timings.TimingsRecorder;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoubleConsumer;
import org.springframework.stereotype.Component;

/**
 * Text to stored audio. The text is split at sentence boundaries into chunks the engine accepts;
 * {@link ChunkedSynthesis} synthesizes them side by side on the {@link SynthesisPool}, each brought
 * to the request's sample rate and to one loudness, and they are joined in order into one PCM
 * buffer (in memory while short, a temporary file once long, so a long document never sits whole in
 * memory); that is encoded into the audio store under the request's content key. Writing a key
 * twice leaves one object, so a job run twice is harmless. Audio that is silent as a whole is not
 * stored: the job has nothing to speak.
 */
@Component
class SynthesisPipeline {

  /** Share of progress given to synthesis; encoding and storing take the rest. */
  private static final double SYNTHESIS_SHARE = 0.95;

  /**
   * A job's joined PCM stays in memory up to this (about 24 s of audio at 22,050 Hz), one buffer
   * per running job; longer audio goes to a temporary file (see {@link PcmBuffer}).
   */
  static final int PCM_IN_MEMORY = 1 << 20;

  /** Enough chunks per thread that uneven ones still keep every thread busy to the end. */
  static final int CHUNKS_PER_THREAD = 4;

  private final VoiceCatalog voices;
  private final AudioStore store;
  private final ChunkedSynthesis chunks;
  private final WorkerProperties properties;
  private final int synthesisThreads;

  SynthesisPipeline(
      VoiceCatalog voices, AudioStore store, ChunkedSynthesis chunks, WorkerProperties properties) {
    this.synthesisThreads = properties.effectiveSynthesisThreads();
    this.voices = voices;
    this.store = store;
    this.chunks = chunks;
    this.properties = properties;
  }

  /**
   * How long the chunks of a stored (not streamed) job may be. Nobody waits for its first chunk, so
   * only parallelism asks for small ones, and each engine call has a fixed cost (measured by
   * bench/run.sh: MaryTTS speaks one 20,000-character call about 1.5 times cheaper per character
   * than ~270-character ones). So a long text is cut into about {@link #CHUNKS_PER_THREAD} chunks
   * per synthesis thread: never shorter than {@code tts.worker.chunk-characters}, never longer than
   * ten times that (the PCM of one chunk is held in memory) or than the engine takes.
   */
  int chunkLimit(int textLength, int engineLimit) {
    int perThread = synthesisThreads * CHUNKS_PER_THREAD;
    int even = (textLength + perThread - 1) / perThread;
    int limit = Math.clamp(even, properties.chunkCharacters(), properties.chunkCharacters() * 10);
    return Math.min(limit, engineLimit);
  }

  /**
   * Synthesizes and stores the request's audio.
   *
   * @throws NothingToSpeakException when the voice made no audible sound for the whole text
   */
  Completion run(TtsRequest request, DoubleConsumer progress) throws IOException {
    long start = System.nanoTime();
    Voice voice =
        voices
            .find(request.voice())
            .orElseThrow(
                () ->
                    new SynthesisException("voice " + request.voice() + " is not installed here"));
    SpeechEngine engine = voices.engineFor(voice);
    SpeechSettings settings = new SpeechSettings(request.speed(), request.pitch());
    int rate = request.sampleRate() > 0 ? request.sampleRate() : voice.sampleRate();
    SsmlPieces ssml = null;
    List<ChunkedSynthesis.Piece> pieces;
    if (request.ssml() != null) {
      int chunkLimit = chunkLimit(request.characters(), engine.maxInputCharacters());
      ssml =
          SsmlPieces.of(
              request.text(), request.language(), voice, engine, voices, settings, chunkLimit);
      pieces = ssml.pieces();
    } else {
      // the text with the request's pronunciation lexicons applied, if it named any
      String spoken = request.speech().textToSpeak();
      int chunkLimit = chunkLimit(spoken.length(), engine.maxInputCharacters());
      pieces =
          SentenceSplitter.split(spoken, chunkLimit, Locale.forLanguageTag(request.language()))
              .stream()
              .map(text -> ChunkedSynthesis.Piece.of(text, voice, settings))
              .toList();
    }
    List<SsmlReport.MarkTime> marks = new ArrayList<>();
    // offsets into what the content key covers: the SSML document, or the text the engine is given
    TimingsRecorder timings =
        new TimingsRecorder(
            ssml != null ? request.text() : request.speech().textToSpeak(),
            ssml != null,
            request.language(),
            rate);
    SynthesisUsage usage;
    LevelMeter level = new LevelMeter();
    try (PcmBuffer out = new PcmBuffer("tts-" + request.id(), PCM_IN_MEMORY)) {
      try (ChunkedSynthesis.ChunkStream stream = chunks.openPieces(pieces, voice, rate)) {
        int written = 0;
        long samples = 0;
        for (Optional<TimedPcm> chunk = stream.nextTimed();
            chunk.isPresent();
            chunk = stream.nextTimed()) {
          Pcm pcm = chunk.get().pcm();
          samples = markAt(ssml, written, samples, rate, marks, timings);
          out.write(pcm.samples());
          level.add(pcm);
          samples += pcm.sampleCount();
          ChunkedSynthesis.Piece piece = pieces.get(written);
          if (piece.isSilence()) {
            timings.silence(pcm.sampleCount());
          } else {
            timings.speech(piece.text(), pcm, chunk.get().words());
          }
          written++;
          progress.accept(SYNTHESIS_SHARE * written / pieces.size());
        }
        markAt(ssml, written, samples, rate, marks, timings);
        usage = stream.usage();
      }
      if (!level.audible()) {
        // Text the submission could not tell was unspeakable (the voice had no sound for it):
        // nothing is stored, and the job fails uncharged.
        throw NothingToSpeakException.silence(voice);
      }
      long pcmBytes = out.size();
      StoredAudio stored =
          store.put(
              request.contentKey(),
              request.format(),
              encoded -> {
                try (InputStream in = out.read()) {
                  ChunkEncoder.encode(request.format(), in, pcmBytes, rate, encoded);
                }
              });
      // saved by the completing statement, with the audio's index entry (RequestRepository)
      return new Completion(
          stored.size(),
          pcmBytes / 2 * 1000 / rate,
          engine.model(),
          usage,
          (System.nanoTime() - start) / 1e6,
          ssml == null ? null : SsmlReport.fromJson(request.ssml()).withMarks(marks).toJson(),
          timings.finish().toJson());
    }
  }

  /** The marks that come before piece {@code index} fall where the audio so far ends. */
  private static long markAt(
      SsmlPieces ssml,
      int index,
      long samples,
      int rate,
      List<SsmlReport.MarkTime> marks,
      TimingsRecorder timings) {
    if (ssml != null) {
      for (String name : ssml.marksBefore().getOrDefault(index, List.of())) {
        marks.add(new SsmlReport.MarkTime(name, samples * 1000 / rate));
        timings.mark(name);
      }
    }
    return samples;
  }
}
