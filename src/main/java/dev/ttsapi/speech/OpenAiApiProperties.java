package dev.ttsapi.speech;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The OpenAI-compatible speech endpoint ({@code POST /v1/audio/speech}).
 *
 * @param voices OpenAI voice names mapped to what this service speaks with: a voice id ({@code
 *     mary:cmu-slt-hsmm}) or anything {@code VoiceCatalog.resolve} takes ({@code female}, {@code
 *     en-GB-x-male}); merged over {@link #DEFAULT_VOICES}. Names not here are resolved as our own
 *     voice ids and names.
 * @param models what the {@code model} field may be; {@code GET /v1/models} lists them
 * @param sampleRate sample rate of the audio sent, in Hz; 24 kHz as OpenAI's {@code pcm}
 * @param synthesizeLocally when this node also has the worker role, synthesize in this process
 *     (lowest latency); false sends every request through Redis to a worker, as an API-only node
 *     always does
 * @param firstChunkTimeout how long an API node waits for a worker to send the first chunk
 * @param chunkTimeout how long it waits for each further chunk before giving up
 * @param liveTtl life of a request's Redis chunk stream and of a live job left in the queue
 * @param workerSlots streaming jobs one worker runs at once (their chunks share the synthesis pool)
 * @param maxStreamsPerUser streams one user may have open at once on this API node (synthesized
 *     here or by a worker); more are answered 429 with {@code Retry-After}
 */
@Validated
@ConfigurationProperties("tts.openai-api")
public record OpenAiApiProperties(
    Map<String, String> voices,
    List<String> models,
    @Min(8000) @Max(48000) int sampleRate,
    Boolean synthesizeLocally,
    Duration firstChunkTimeout,
    Duration chunkTimeout,
    Duration liveTtl,
    @Min(1) @Max(1024) int workerSlots,
    @Min(1) @Max(1024) int maxStreamsPerUser) {

  /** Every voice OpenAI names, onto the installed voices by gender (English). */
  public static final Map<String, String> DEFAULT_VOICES =
      Map.ofEntries(
          Map.entry("alloy", "mary:cmu-slt-hsmm"),
          Map.entry("ash", "en-US-male"),
          Map.entry("ballad", "en-GB-male"),
          Map.entry("coral", "en-US-female"),
          Map.entry("echo", "en-US-male"),
          Map.entry("fable", "en-GB-female"),
          Map.entry("nova", "en-US-female"),
          Map.entry("onyx", "en-US-male"),
          Map.entry("sage", "en-US-female"),
          Map.entry("shimmer", "en-US-female"),
          Map.entry("verse", "en-US-male"),
          Map.entry("marin", "en-US-female"),
          Map.entry("cedar", "en-US-male"));

  public static final List<String> DEFAULT_MODELS = List.of("tts-1", "tts-1-hd", "gpt-4o-mini-tts");
  public static final int DEFAULT_SAMPLE_RATE = 24000;
  public static final Duration DEFAULT_FIRST_CHUNK_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_CHUNK_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_LIVE_TTL = Duration.ofMinutes(5);
  public static final int DEFAULT_WORKER_SLOTS = 16;
  public static final int DEFAULT_MAX_STREAMS_PER_USER = 4;

  public OpenAiApiProperties {
    Map<String, String> merged = new LinkedHashMap<>(DEFAULT_VOICES);
    if (voices != null) {
      voices.forEach((name, voice) -> merged.put(name.toLowerCase(java.util.Locale.ROOT), voice));
    }
    voices = Map.copyOf(merged);
    models = models == null || models.isEmpty() ? DEFAULT_MODELS : List.copyOf(models);
    sampleRate = sampleRate == 0 ? DEFAULT_SAMPLE_RATE : sampleRate;
    synthesizeLocally = synthesizeLocally == null || synthesizeLocally;
    firstChunkTimeout = firstChunkTimeout == null ? DEFAULT_FIRST_CHUNK_TIMEOUT : firstChunkTimeout;
    chunkTimeout = chunkTimeout == null ? DEFAULT_CHUNK_TIMEOUT : chunkTimeout;
    liveTtl = liveTtl == null ? DEFAULT_LIVE_TTL : liveTtl;
    workerSlots = workerSlots == 0 ? DEFAULT_WORKER_SLOTS : workerSlots;
    maxStreamsPerUser = maxStreamsPerUser == 0 ? DEFAULT_MAX_STREAMS_PER_USER : maxStreamsPerUser;
  }
}
