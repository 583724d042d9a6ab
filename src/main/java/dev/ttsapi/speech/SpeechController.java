package dev.ttsapi.speech;

import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.audio.ChunkEncoder;
import dev.ttsapi.audio.Pcm;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.engine.NothingToSpeakException;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.SynthesisUsage;
import dev.ttsapi.engine.Voice;
import dev.ttsapi.ratelimit.QuotaCharge;
import dev.ttsapi.ratelimit.RateLimiter;
import dev.ttsapi.request.InvalidTextException;
import dev.ttsapi.request.Utterance;
import dev.ttsapi.request.Utterances;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import dev.ttsapi.text.TextNormalizer;
import dev.ttsapi.timings.Timing;
import dev.ttsapi.timings.Timings;
import dev.ttsapi.usage.UsageRecorder;
import dev.ttsapi.web.InvalidInputException;
import dev.ttsapi.web.Problem;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI's speech API: {@code POST /v1/audio/speech} answers with audio streamed as it is made (the
 * first sentence is sent while the rest is synthesized), raw in chunked transfer or as server-sent
 * events; {@code GET /v1/models} lists what {@code model} may be. The answer is written on the
 * request's virtual thread, flushed per chunk. A client that goes away stops the synthesis of the
 * rest. A user has at most {@code tts.openai-api.max-streams-per-user} streams open at once on a
 * node ({@link SpeechStreams}). Characters are charged to the daily quota before synthesis and the
 * request is recorded in {@code usage_daily} once, when its stream ends.
 */
@RestController
@ConditionalOnRole(Role.API)
class SpeechController {

  private static final Logger log = LoggerFactory.getLogger(SpeechController.class);

  /** A stream lasts seconds to a few minutes; a client refused for holding too many asks later. */
  private static final Duration STREAM_RETRY_AFTER = Duration.ofSeconds(5);

  private final SpeechService speech;
  private final SpeechStreams streams;
  private final UsageRecorder usage;
  private final RateLimiter limiter;
  private final Utterances utterances;
  private final SpeechEndpointProperties properties;
  private final JsonMapper json;

  SpeechController(
      SpeechService speech,
      SpeechStreams streams,
      UsageRecorder usage,
      RateLimiter limiter,
      Utterances utterances,
      SpeechEndpointProperties properties,
      JsonMapper json) {
    this.speech = speech;
    this.streams = streams;
    this.usage = usage;
    this.limiter = limiter;
    this.utterances = utterances;
    this.properties = properties;
    this.json = json;
  }

  /** OpenAI's request body; unknown fields are ignored, as OpenAI adds new ones. */
  record SpeechBody(
      String model,
      String input,
      String voice,
      String responseFormat,
      Double speed,
      String instructions,
      String streamFormat,
      List<String> lexicons) {}

  /**
   * A validated body. {@code instructions} are accepted and not used: no engine here takes them.
   */
  private record Speak(Utterance utterance, boolean sse) {
    /** What the engine speaks: the input with the caller's lexicons applied. */
    String text() {
      return utterance.spokenText();
    }

    long characters() {
      return utterance.characters();
    }

    Voice voice() {
      return utterance.voice();
    }

    AudioFormat format() {
      return utterance.format();
    }

    double speed() {
      return utterance.settings().speed();
    }
  }

  @PostMapping(path = "/v1/audio/speech", consumes = MediaType.APPLICATION_JSON_VALUE)
  void speech(Caller caller, @RequestBody SpeechBody body, HttpServletResponse response)
      throws IOException {
    Speak speak = validate(caller, body);
    // Taken before the quota is charged (a refused stream costs nothing) and held until the
    // stream has ended, however it ends.
    try (SpeechStreams.Slot slot =
        streams
            .open(caller.userId())
            .orElseThrow(
                () ->
                    SpeechProblem.tooManyStreams(
                        "You have "
                            + streams.perUser()
                            + " speech streams open, as many as you may; let one end first",
                        STREAM_RETRY_AFTER))) {
      answer(caller, speak, response);
    }
  }

  private void answer(Caller caller, Speak speak, HttpServletResponse response) throws IOException {
    ChunkSource source;
    Optional<Pcm> first;
    // Charged now, given back if no first chunk comes (nothing was delivered).
    try (QuotaCharge charge = limiter.charge(caller.userId(), speak.characters())) {
      source = speech.open(speak.text(), speak.voice(), speak.speed());
      try {
        // Wait for the first chunk before committing a 200, so a failure here is still a problem.
        first = source.next();
      } catch (RuntimeException e) {
        // A worker may still be speaking the text (its first chunk came too late): stop it.
        try {
          source.cancel();
        } catch (RuntimeException notCancelled) {
          e.addSuppressed(notCancelled);
        } finally {
          source.close();
        }
        throw e;
      }
      charge.keep();
    }
    try (source) {
      stream(caller, speak, source, first, response);
    }
  }

  private void stream(
      Caller caller,
      Speak speak,
      ChunkSource source,
      Optional<Pcm> first,
      HttpServletResponse response)
      throws IOException {
    int rate = properties.sampleRate();
    ChunkEncoder encoder = ChunkEncoder.of(speak.format(), rate, ChunkEncoder.UNKNOWN_LENGTH);
    response.setStatus(200);
    response.setContentType(
        speak.sse() ? MediaType.TEXT_EVENT_STREAM_VALUE : speak.format().contentType());
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("X-Voice", speak.voice().id());
    if (speak.utterance().lexicons() != null) {
      // what the named lexicons did, as /tts/request says it in its body
      response.setHeader(
          "X-Lexicons-Applied", Integer.toString(speak.utterance().lexicons().applied()));
      response.setHeader(
          "X-Lexicons-Phoneme-Rules-Dropped",
          Integer.toString(speak.utterance().lexicons().phonemeRulesDropped()));
    }
    response.setHeader("X-Accel-Buffering", "no"); // nginx: pass chunks on as they come
    OutputStream out = response.getOutputStream();
    long samples = 0;
    boolean complete = false;
    try {
      send(out, speak, encoder.start());
      Optional<Pcm> chunk = first;
      while (chunk.isPresent()) {
        samples += chunk.get().sampleCount();
        send(out, speak, encoder.encode(chunk.get()));
        if (speak.sse() && !source.timings().isEmpty()) {
          timingEvent(out, speak, source.timings());
        }
        chunk = source.next();
      }
      send(out, speak, encoder.finish());
      complete = true;
      if (speak.sse()) {
        SynthesisUsage used = source.usage();
        long input = used.inputTokens() > 0 ? used.inputTokens() : speak.characters();
        Map<String, Object> usageJson = new LinkedHashMap<>();
        usageJson.put("input_tokens", input);
        usageJson.put("output_tokens", used.outputTokens());
        usageJson.put("total_tokens", input + used.outputTokens());
        event(out, Map.of("type", "speech.audio.done", "usage", usageJson));
      }
    } catch (IOException clientGone) {
      // Writing failed: the client went away. Stop synthesizing what it will never hear.
      log.info(
          "Speech client went away after {} s of audio; stopping synthesis",
          samples / (double) rate);
      source.cancel();
    } catch (Problem e) {
      // Too late for a problem answer: the status is sent. End the stream early; SSE says why.
      log.warn("Speech stream ended early: {}", e.getMessage());
      if (speak.sse()) {
        try {
          event(out, Map.of("type", "error", "error", Map.of("message", e.getMessage())));
        } catch (IOException ignored) {
          // the client is gone as well
        }
      }
    } finally {
      SynthesisUsage used = source.usage();
      usage.record(
          caller.userId(),
          speak.characters(),
          samples / (double) rate,
          used.inputTokens(),
          used.outputTokens());
      if (!complete) {
        source.cancel();
      }
    }
  }

  private void send(OutputStream out, Speak speak, byte[] audio) throws IOException {
    if (audio.length == 0) {
      return;
    }
    if (speak.sse()) {
      event(
          out,
          Map.of("type", "speech.audio.delta", "audio", Base64.getEncoder().encodeToString(audio)));
    } else {
      flushed(out, audio);
    }
  }

  /**
   * What is heard in the chunk just sent: its sentences and words, times from the start of the
   * stream, characters of the input (before the caller's lexicons changed it).
   */
  private void timingEvent(OutputStream out, Speak speak, List<Timing> timings) throws IOException {
    String input = speak.utterance().text();
    List<Timing> shown =
        input.equals(speak.text())
            ? timings
            : new Timings(0, timings).remapped(speak.text(), input).timings();
    event(out, Map.of("type", "speech.timing", "timings", shown));
  }

  private void event(OutputStream out, Map<String, Object> data) throws IOException {
    flushed(
        out, ("data: " + json.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Writes bytes and pushes them to the client at once, so each chunk leaves when it is made. */
  private static void flushed(OutputStream out, byte[] bytes) throws IOException {
    if (bytes.length > 0) {
      out.write(bytes);
      out.flush();
    }
  }

  private Speak validate(Caller caller, SpeechBody body) {
    if (body.model() == null || body.model().isBlank()) {
      throw SpeechProblem.invalid("model", "model is required; one of " + properties.models());
    }
    if (!properties.models().contains(body.model().strip())) {
      throw SpeechProblem.invalid(
          "model",
          "model '"
              + clip(body.model())
              + "' is not served here; use one of "
              + properties.models());
    }
    if (body.input() == null || body.input().isBlank()) {
      throw SpeechProblem.invalid("input", "input is required and must not be empty");
    }
    if (TextNormalizer.hasUnsafeCharacters(body.voice() == null ? "" : body.voice())) {
      throw SpeechProblem.invalid("voice", "voice must not contain control characters");
    }
    if (body.voice() == null || body.voice().isBlank()) {
      throw SpeechProblem.invalid(
          "voice", "voice is required, e.g. " + List.of("alloy", "nova", "mary:cmu-slt-hsmm"));
    }
    AudioFormat format =
        SpeechFormat.parse(body.responseFormat())
            .orElseThrow(
                () ->
                    SpeechProblem.invalid(
                        "response_format",
                        "response_format '"
                            + clip(body.responseFormat())
                            + "' is not supported; use one of "
                            + SpeechFormat.names()));
    boolean sse;
    String streamFormat =
        body.streamFormat() == null
            ? "audio"
            : body.streamFormat().strip().toLowerCase(Locale.ROOT);
    switch (streamFormat) {
      case "audio" -> sse = false;
      case "sse" -> sse = true;
      default ->
          throw SpeechProblem.invalid("stream_format", "stream_format must be 'audio' or 'sse'");
    }
    double speed = body.speed() == null ? 1.0 : body.speed();
    if (!(speed >= SpeechSettings.MIN_SPEED && speed <= SpeechSettings.MAX_SPEED)) {
      throw SpeechProblem.invalid(
          "speed",
          "speed must be between " + SpeechSettings.MIN_SPEED + " and " + SpeechSettings.MAX_SPEED);
    }
    try {
      Utterance utterance =
          utterances.of(
              body.input(),
              speech.voiceName(body.voice()),
              SpeechService.LANGUAGE,
              new SpeechSettings(speed, 0),
              format,
              properties.sampleRate(),
              properties.maxInputLength());
      return new Speak(
          utterances.withLexicons(utterance, caller.userId(), body.lexicons(), "lexicons"), sse);
    } catch (InvalidTextException e) {
      Problem problem = SpeechProblem.invalid("input", "input: " + e.getMessage());
      e.maxCharacters().ifPresent(limit -> problem.with("max_characters", limit));
      throw problem;
    } catch (NothingToSpeakException e) {
      throw SpeechProblem.nothingToSpeak(e.getMessage());
    } catch (InvalidInputException e) {
      throw SpeechProblem.invalid("lexicons", e.getMessage());
    }
  }

  private static String clip(String s) {
    return s == null ? "" : s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  /** OpenAI's list shape: {@code {"object": "list", "data": [{"id", "object": "model", …}]}}. */
  @GetMapping(path = "/v1/models", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> models() {
    return Map.of(
        "object",
        "list",
        "data",
        properties.models().stream()
            .map(id -> Map.of("id", id, "object", "model", "created", 0, "owned_by", "tts-api"))
            .toList());
  }
}
