package dev.ttsapi.worker;

import dev.ttsapi.audio.AudioEncoder;
import dev.ttsapi.audio.AudioEncoders;
import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.audio.Pcm;
import dev.ttsapi.audio.StoredAudio;
import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.SynthesisException;
import dev.ttsapi.engine.Voice;
import dev.ttsapi.engine.VoiceCatalog;
import dev.ttsapi.request.TtsRequest;
import dev.ttsapi.text.SentenceSplitter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.DoubleConsumer;
import org.springframework.stereotype.Component;

/**
 * Text to stored audio: split into sentence chunks, synthesize each, spool the PCM to a temporary
 * file (so a long text never sits whole in memory), encode into the audio store under the request's
 * content key. Writing a key twice leaves one object, so a job run twice is harmless.
 */
@Component
class SynthesisPipeline {

  /** Share of progress given to synthesis; encoding and storing take the rest. */
  private static final double SYNTHESIS_SHARE = 0.95;

  private final VoiceCatalog voices;
  private final AudioStore store;
  private final WorkerProperties properties;

  SynthesisPipeline(VoiceCatalog voices, AudioStore store, WorkerProperties properties) {
    this.voices = voices;
    this.store = store;
    this.properties = properties;
  }

  record Result(long bytes, long durationMs) {}

  Result run(TtsRequest request, DoubleConsumer progress) throws IOException {
    Voice voice =
        voices
            .find(request.voice())
            .orElseThrow(
                () ->
                    new SynthesisException("voice " + request.voice() + " is not installed here"));
    SpeechEngine engine = voices.engineFor(voice);
    SpeechSettings settings = new SpeechSettings(request.speed(), request.pitch());
    List<String> chunks = SentenceSplitter.split(request.text(), properties.chunkCharacters());
    Path pcmFile = Files.createTempFile("tts-" + request.id(), ".pcm");
    try {
      int sampleRate = voice.sampleRate();
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(pcmFile))) {
        for (int i = 0; i < chunks.size(); i++) {
          Pcm pcm = engine.synthesize(chunks.get(i), voice, settings);
          if (pcm.sampleRate() != sampleRate) {
            throw new SynthesisException(
                "engine "
                    + engine.id()
                    + " spoke at "
                    + pcm.sampleRate()
                    + " Hz, not the voice's "
                    + sampleRate
                    + " Hz");
          }
          out.write(pcm.samples());
          progress.accept(SYNTHESIS_SHARE * (i + 1) / chunks.size());
        }
      }
      long pcmBytes = Files.size(pcmFile);
      int rate = sampleRate;
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
      return new Result(stored.size(), pcmBytes / 2 * 1000 / rate);
    } finally {
      Files.deleteIfExists(pcmFile);
    }
  }
}
