package dev.ttsapi.speech;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The OpenAI-compatible speech endpoint this service serves ({@code POST /v1/audio/speech}); not to
 * be confused with the OpenAI engine's settings ({@code tts.engines.openai}), which are about a
 * server this service calls. Defaults live in {@code application.yaml}.
 *
 * @param voices OpenAI voice names mapped to what this service speaks with: a voice id ({@code
 *     mary:cmu-slt-hsmm}) or anything {@code VoiceCatalog.resolve} takes ({@code en-US-female},
 *     {@code en-GB-male}). Entries set by an operator are added to (or replace) those of {@code
 *     application.yaml}; names not mapped are resolved as our own voice ids and names. Keys are
 *     case-insensitive.
 * @param models what the {@code model} field may be; {@code GET /v1/models} lists them
 * @param sampleRate sample rate of the audio sent, in Hz; 24 kHz as OpenAI's {@code pcm}
 * @param maxInputLength longest {@code input} accepted, in characters after normalization: OpenAI's
 *     4,096, so a client written against OpenAI meets the limit it expects (longer documents go to
 *     {@code POST /tts/request}, up to {@code tts.request.max-text-length})
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
public record SpeechEndpointProperties(
    @NotNull Map<String, String> voices,
    @NotEmpty List<String> models,
    @Min(8000) @Max(48000) int sampleRate,
    @Min(1) @Max(1_000_000) int maxInputLength,
    boolean synthesizeLocally,
    @NotNull Duration firstChunkTimeout,
    @NotNull Duration chunkTimeout,
    @NotNull Duration liveTtl,
    @Min(1) @Max(1024) int workerSlots,
    @Min(1) @Max(1024) int maxStreamsPerUser) {

  public SpeechEndpointProperties {
    Map<String, String> lower = new LinkedHashMap<>();
    voices.forEach((name, voice) -> lower.put(name.toLowerCase(Locale.ROOT), voice));
    voices = Map.copyOf(lower);
    models = List.copyOf(models);
  }
}
