package dev.ttsapi.speech;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.engine.NothingToSpeakException;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.SynthesisUsage;
import dev.ttsapi.engine.Voice;
import dev.ttsapi.engine.VoiceDirectory;
import dev.ttsapi.ratelimit.QuotaCharge;
import dev.ttsapi.ratelimit.RateLimiter;
import dev.ttsapi.request.InvalidTextException;
import dev.ttsapi.request.Utterance;
import dev.ttsapi.request.Utterances;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import dev.ttsapi.usage.UsageRecorder;
import dev.ttsapi.web.KeyOutsideHeader;
import dev.ttsapi.web.Problem;
import dev.ttsapi.web.SubmitBudget;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * MaryTTS 5.2's HTTP protocol, so the screen readers, home-automation and voice-assistant setups
 * that speak to a MaryTTS server can speak to this service: {@code /process} (GET with query
 * parameters, or POST with a form body, as {@code MaryHttpClient} sends it), {@code /voices},
 * {@code /locales} and {@code /version}, in MaryTTS's plain-text formats. Every handler needs an
 * API key like the rest of the API; since many of these clients can set no header, the key may also
 * come as HTTP Basic's password or as the {@code api_key} query parameter ({@link
 * KeyOutsideHeader}).
 *
 * <p>{@code /process} takes the path of {@code POST /v1/audio/speech}: the per-minute submit
 * budget, a speech-stream slot, the daily character quota (given back if no audio comes) and one
 * usage record; the whole file is answered at once, as MaryTTS answers a {@code _FILE} request.
 */
@RestController
@ConditionalOnRole(Role.API)
@KeyOutsideHeader
@Tag(
    name = "marytts",
    description =
        "MaryTTS 5.2's HTTP protocol. The key may also be HTTP Basic's password or ?api_key=.")
class MaryTtsController {

  /** The MaryTTS version whose protocol this speaks; clients read the number after "server". */
  static final String PROTOCOL_VERSION = "5.2.1";

  private static final Duration STREAM_RETRY_AFTER = Duration.ofSeconds(5);

  private final SpeechService speech;
  private final SpeechStreams streams;
  private final UsageRecorder usage;
  private final RateLimiter limiter;
  private final Utterances utterances;
  private final VoiceDirectory voices;
  private final SpeechEndpointProperties properties;
  private final MaryEndpointProperties limits;

  MaryTtsController(
      SpeechService speech,
      SpeechStreams streams,
      UsageRecorder usage,
      RateLimiter limiter,
      Utterances utterances,
      VoiceDirectory voices,
      SpeechEndpointProperties properties,
      MaryEndpointProperties limits) {
    this.limits = limits;
    this.speech = speech;
    this.streams = streams;
    this.usage = usage;
    this.limiter = limiter;
    this.utterances = utterances;
    this.voices = voices;
    this.properties = properties;
  }

  @SubmitBudget
  @Operation(
      summary = "Speak text, MaryTTS's way (query parameters)",
      description =
          "INPUT_TYPE=TEXT, OUTPUT_TYPE=AUDIO and AUDIO=WAVE_FILE, AU_FILE, AIFF_FILE or MP3_FILE"
              + " (or _STREAM), LOCALE like en_US, VOICE optional (an id, a MaryTTS name, male or"
              + " female). Charged to the submit budget and the daily quota.",
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "The audio file",
              content = {
                @Content(mediaType = "audio/x-wav"),
                @Content(mediaType = "audio/basic"),
                @Content(mediaType = "audio/x-aiff"),
                @Content(mediaType = "audio/x-mpeg")
              }))
  @GetMapping(path = "/process")
  void processGet(
      Caller caller,
      @RequestParam(name = "INPUT_TEXT", required = false) String inputText,
      @RequestParam(name = "INPUT_TYPE", required = false) String inputType,
      @RequestParam(name = "OUTPUT_TYPE", required = false) String outputType,
      @RequestParam(name = "LOCALE", required = false) String locale,
      @RequestParam(name = "AUDIO", required = false) String audio,
      @RequestParam(name = "VOICE", required = false) String voice,
      HttpServletResponse response)
      throws IOException {
    process(
        caller,
        new MaryRequests.Parameters(inputText, inputType, outputType, locale, audio, voice),
        response);
  }

  /** What {@code MaryHttpClient} sends: a form body ({@code application/x-www-form-urlencoded}). */
  @Operation(
      summary = "Speak text, MaryTTS's way (a form, as MaryHttpClient posts it)",
      description = "The parameters of GET /process as an application/x-www-form-urlencoded body.",
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "The audio file",
              content = {
                @Content(mediaType = "audio/x-wav"),
                @Content(mediaType = "audio/basic"),
                @Content(mediaType = "audio/x-aiff"),
                @Content(mediaType = "audio/x-mpeg")
              }))
  @PostMapping(path = "/process", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
  void processPost(
      Caller caller,
      @RequestParam(name = "INPUT_TEXT", required = false) String inputText,
      @RequestParam(name = "INPUT_TYPE", required = false) String inputType,
      @RequestParam(name = "OUTPUT_TYPE", required = false) String outputType,
      @RequestParam(name = "LOCALE", required = false) String locale,
      @RequestParam(name = "AUDIO", required = false) String audio,
      @RequestParam(name = "VOICE", required = false) String voice,
      HttpServletResponse response)
      throws IOException {
    process(
        caller,
        new MaryRequests.Parameters(inputText, inputType, outputType, locale, audio, voice),
        response);
  }

  /** Lines of {@code name locale gender type}, as MaryTTS lists its voices. */
  @Operation(summary = "Voices, one a line: name locale gender type")
  @GetMapping(path = "/voices", produces = "text/plain;charset=UTF-8")
  String voices() {
    return voices.forResolving().voices().stream()
        .map(
            v ->
                v.id()
                    + " "
                    + MaryRequests.maryLocale(v.language())
                    + " "
                    + v.gender().name().toLowerCase(Locale.ROOT)
                    + " "
                    + (v.name().endsWith("-hsmm") ? "hmm" : "other")
                    + "\n")
        .collect(Collectors.joining());
  }

  /** One locale a line ({@code en_US}), every language a voice speaks. */
  @Operation(summary = "Locales, one a line (en_US)")
  @GetMapping(path = "/locales", produces = "text/plain;charset=UTF-8")
  String locales() {
    return voices.forResolving().languages().stream()
        .map(language -> MaryRequests.maryLocale(language) + "\n")
        .distinct()
        .collect(Collectors.joining());
  }

  /** {@code Mary TTS server 5.2.1 (impl. tts-api)}: clients take the fourth word as the version. */
  @Operation(summary = "The MaryTTS version whose protocol this speaks")
  @GetMapping(path = "/version", produces = "text/plain;charset=UTF-8")
  String version() {
    return "Mary TTS server " + PROTOCOL_VERSION + " (impl. tts-api)";
  }

  private void process(
      Caller caller, MaryRequests.Parameters parameters, HttpServletResponse response)
      throws IOException {
    MaryRequests.Checked checked = MaryRequests.check(parameters);
    Utterance utterance;
    try {
      utterance =
          utterances.of(
              parameters.inputText(),
              checked.voice(),
              checked.language(),
              new SpeechSettings(1.0, 0),
              checked.audio().format(),
              properties.sampleRate(),
              limits.maxTextLength());
    } catch (InvalidTextException e) {
      Problem problem = MaryRequests.invalid("INPUT_TEXT", "INPUT_TEXT: " + e.getMessage());
      e.maxCharacters().ifPresent(limit -> problem.with("max_characters", limit));
      throw problem;
    } catch (NothingToSpeakException e) {
      throw SpeechProblem.nothingToSpeak(e.getMessage());
    }
    try (SpeechStreams.Slot slot =
        streams
            .open(caller.userId())
            .orElseThrow(
                () ->
                    SpeechProblem.tooManyStreams(
                        "You have "
                            + streams.perUser()
                            + " speech requests running, as many as you may; let one end first",
                        STREAM_RETRY_AFTER))) {
      Pcm pcm = synthesize(caller, utterance);
      byte[] file = checked.audio().encode(pcm);
      response.setStatus(200);
      response.setContentType(checked.audio().contentType());
      response.setContentLength(file.length);
      response.setHeader("X-Voice", utterance.voice().id());
      response.getOutputStream().write(file);
    }
  }

  /**
   * All of the text's audio. The quota is charged first and given back if synthesis fails; usage is
   * recorded once the audio is whole.
   */
  private Pcm synthesize(Caller caller, Utterance utterance) {
    Voice voice = utterance.voice();
    int rate = properties.sampleRate();
    ByteArrayOutputStream samples = new ByteArrayOutputStream();
    SynthesisUsage used;
    try (QuotaCharge charge = limiter.charge(caller.userId(), utterance.characters());
        ChunkSource source = speech.open(utterance.text(), voice, utterance.settings().speed())) {
      for (Optional<Pcm> chunk = source.next(); chunk.isPresent(); chunk = source.next()) {
        samples.writeBytes(chunk.get().samples());
        rate = chunk.get().sampleRate();
      }
      used = source.usage();
      charge.keep();
    }
    Pcm pcm = new Pcm(samples.toByteArray(), rate);
    usage.record(
        caller.userId(),
        utterance.characters(),
        pcm.durationSeconds(),
        used.inputTokens(),
        used.outputTokens());
    return pcm;
  }
}
