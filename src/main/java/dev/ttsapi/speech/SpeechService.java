package dev.ttsapi.speech;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.SynthesisException;
import dev.ttsapi.engine.SynthesisUsage;
import dev.ttsapi.engine.TimedPcm;
import dev.ttsapi.engine.Voice;
import dev.ttsapi.engine.VoiceDirectory;
import dev.ttsapi.queue.LiveQueue;
import dev.ttsapi.queue.LiveQueue.Entry;
import dev.ttsapi.queue.LiveQueue.LiveJob;
import dev.ttsapi.runtime.Role;
import dev.ttsapi.runtime.Roles;
import dev.ttsapi.timings.Timing;
import dev.ttsapi.timings.Timings;
import dev.ttsapi.timings.TimingsRecorder;
import dev.ttsapi.worker.ChunkedSynthesis;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Where a streamed request is synthesized: in this process when it also runs the worker role (and
 * {@code tts.openai-api.synthesize-locally} allows), else by a worker through {@link
 * dev.ttsapi.queue.LiveQueue}.
 */
@Service
class SpeechService {

  private final VoiceDirectory voices;
  private final ChunkedSynthesis local;
  private final LiveQueue channel;
  private final SpeechEndpointProperties properties;
  private final Clock clock;
  private final boolean inProcess;

  SpeechService(
      VoiceDirectory voices,
      ChunkedSynthesis local,
      LiveQueue channel,
      SpeechEndpointProperties properties,
      Clock clock,
      Roles roles) {
    this.voices = voices;
    this.local = local;
    this.channel = channel;
    this.properties = properties;
    this.clock = clock;
    this.inProcess = properties.synthesizeLocally() && roles.runs(Role.WORKER);
  }

  /** The language OpenAI's voices speak here when the name says none (they are English). */
  static final String LANGUAGE = "en-US";

  /** An OpenAI voice name through the configured map, else the name as it is (one of ours). */
  String voiceName(String name) {
    String mapped = properties.voices().get(name.strip().toLowerCase(Locale.ROOT));
    return mapped != null ? mapped : name;
  }

  boolean inProcess() {
    return inProcess;
  }

  ChunkSource open(String text, Voice voice, double speed) {
    int rate = properties.sampleRate();
    if (inProcess) {
      return new Local(
          local.open(text, voice, new SpeechSettings(speed, 0), rate),
          new TimingsRecorder(text, false, voice.language(), rate));
    }
    UUID id = UUID.randomUUID();
    LiveQueue.Subscription subscription =
        channel.subscribe(id, max(properties.firstChunkTimeout(), properties.chunkTimeout()));
    try {
      channel.enqueue(
          new LiveJob(
              id,
              text,
              voice.id(),
              speed,
              rate,
              clock.instant().plus(properties.firstChunkTimeout())));
    } catch (RuntimeException e) {
      subscription.close();
      throw e;
    }
    return new Remote(subscription);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static final class Local implements ChunkSource {
    private final ChunkedSynthesis.ChunkStream chunks;
    private final TimingsRecorder recorder;
    private List<Timing> timings = List.of();
    private int index;

    Local(ChunkedSynthesis.ChunkStream chunks, TimingsRecorder recorder) {
      this.chunks = chunks;
      this.recorder = recorder;
    }

    @Override
    public Optional<Pcm> next() {
      Optional<TimedPcm> chunk;
      try {
        chunk = chunks.nextTimed();
      } catch (SynthesisException e) {
        throw SpeechProblem.unavailable("Synthesis failed: " + e.getMessage());
      }
      chunk.ifPresent(
          c -> {
            recorder.speech(chunks.text(index++), c.pcm(), c.words());
            timings = recorder.drain();
          });
      return chunk.map(TimedPcm::pcm);
    }

    @Override
    public List<Timing> timings() {
      return timings;
    }

    @Override
    public SynthesisUsage usage() {
      return chunks.usage();
    }

    @Override
    public void cancel() {
      chunks.close();
    }

    @Override
    public void close() {
      chunks.close();
    }
  }

  private final class Remote implements ChunkSource {
    private final LiveQueue.Subscription subscription;
    private List<Timing> timings = List.of();
    private boolean first = true;
    private boolean ended;
    private SynthesisUsage usage = SynthesisUsage.NONE;

    Remote(LiveQueue.Subscription subscription) {
      this.subscription = subscription;
    }

    @Override
    public Optional<Pcm> next() {
      if (ended) {
        return Optional.empty();
      }
      Duration timeout = first ? properties.firstChunkTimeout() : properties.chunkTimeout();
      Entry entry =
          subscription
              .next(timeout)
              .orElseThrow(
                  () ->
                      SpeechProblem.unavailable(
                          first
                              ? "No worker took the request within " + timeout.toSeconds() + " s"
                              : "The worker sent nothing for " + timeout.toSeconds() + " s"));
      first = false;
      return switch (entry) {
        case Entry.Chunk chunk -> {
          timings = chunk.timings() == null ? List.of() : Timings.listFromJson(chunk.timings());
          yield Optional.of(chunk.pcm());
        }
        case Entry.End end -> {
          ended = true;
          usage = new SynthesisUsage(end.characters(), 0, 0);
          yield Optional.empty();
        }
        case Entry.Failed failed ->
            throw SpeechProblem.unavailable("Synthesis failed: " + failed.error());
      };
    }

    @Override
    public List<Timing> timings() {
      return timings;
    }

    @Override
    public SynthesisUsage usage() {
      return usage;
    }

    @Override
    public void cancel() {
      subscription.cancel();
    }

    @Override
    public void close() {
      subscription.close();
    }
  }
}
