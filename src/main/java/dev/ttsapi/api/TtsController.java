package dev.ttsapi.api;

import dev.ttsapi.api.TtsDtos.EstimateResponse;
import dev.ttsapi.api.TtsDtos.QueueInfo;
import dev.ttsapi.api.TtsDtos.QuotaInfo;
import dev.ttsapi.api.TtsDtos.RequestPage;
import dev.ttsapi.api.TtsDtos.RequestSummary;
import dev.ttsapi.api.TtsDtos.StatusResponse;
import dev.ttsapi.api.TtsDtos.SubmitBody;
import dev.ttsapi.api.TtsDtos.SubmitResponse;
import dev.ttsapi.api.TtsDtos.VoiceList;
import dev.ttsapi.api.TtsDtos.VoiceResponse;
import dev.ttsapi.api.TtsDtos.VoiceSettingsBody;
import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.audio.StoredAudio;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.backpressure.QueueLimit;
import dev.ttsapi.engine.LanguageTags;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.VoiceDirectory;
import dev.ttsapi.idempotency.Idempotency;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.ratelimit.QuotaCharge;
import dev.ttsapi.ratelimit.RateLimiter;
import dev.ttsapi.request.AlongsideInsert;
import dev.ttsapi.request.Estimates;
import dev.ttsapi.request.RequestService;
import dev.ttsapi.request.RequestStateException;
import dev.ttsapi.request.RequestStatus;
import dev.ttsapi.request.StatusSnapshot;
import dev.ttsapi.request.Submission;
import dev.ttsapi.request.TtsRequest;
import dev.ttsapi.request.Utterance;
import dev.ttsapi.request.Utterances;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import dev.ttsapi.ssml.Ssml;
import dev.ttsapi.web.Budgeted;
import dev.ttsapi.web.DocumentBody;
import dev.ttsapi.web.ForbiddenException;
import dev.ttsapi.web.InvalidInputException;
import dev.ttsapi.web.InvalidInputException.FieldError;
import dev.ttsapi.webhook.CallbackUrls;
import dev.ttsapi.webhook.WebhookSettings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/** The seed's {@code /tts} endpoints. */
@RestController
@RequestMapping("/tts")
@ConditionalOnRole(Role.API)
class TtsController {

  private static final String DEFAULT_LANGUAGE = "en-US";

  private final RequestService requests;
  private final UserService users;
  private final VoiceDirectory voices;
  private final AudioStore audioStore;
  private final SubmitGuard guard;
  private final QueueLimit queueLimit;
  private final Utterances utterances;
  private final RateLimiter limiter;
  private final CallbackUrls callbackUrls;
  private final WebhookSettings webhooks;
  private final StatusWaits waits;
  private final StatusWaitProperties statusWaitProperties;
  private final Estimates estimates;
  private final QueueForecast forecasts;

  TtsController(
      RequestService requests,
      UserService users,
      VoiceDirectory voices,
      AudioStore audioStore,
      SubmitGuard guard,
      QueueLimit queueLimit,
      Utterances utterances,
      RateLimiter limiter,
      CallbackUrls callbackUrls,
      WebhookSettings webhooks,
      StatusWaits waits,
      StatusWaitProperties statusWaitProperties,
      Estimates estimates,
      QueueForecast forecasts) {
    this.estimates = estimates;
    this.forecasts = forecasts;
    this.waits = waits;
    this.statusWaitProperties = statusWaitProperties;
    this.callbackUrls = callbackUrls;
    this.webhooks = webhooks;
    this.utterances = utterances;
    this.limiter = limiter;
    this.queueLimit = queueLimit;
    this.requests = requests;
    this.users = users;
    this.voices = voices;
    this.audioStore = audioStore;
    this.guard = guard;
  }

  /**
   * Accepts text to speak. 200 (the seed's load test counts anything else as a failure). With an
   * {@code Idempotency-Key}, a repeat of the same body answers the first answer again. The submit
   * budget and the daily quota are asked of Redis in one script call once the text is known to be
   * speakable ({@link Budgeted#checkAndCharge}); on every other way out the budget is checked
   * alone, first, so a call over it is a 429 whatever else was wrong with it.
   */
  @DocumentBody
  @PostMapping(
      path = "/request",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  SubmitResponse submit(
      Caller caller,
      Budgeted budget,
      @RequestBody SubmitBody body,
      @RequestHeader(name = Idempotency.HEADER, required = false) String idempotencyKey,
      HttpServletResponse response) {
    if (idempotencyKey != null) {
      // a replay is taken from the budget too, and over it is refused before the key is looked at
      budget.check();
    }
    try {
      return guard.once(
          caller,
          body,
          idempotencyKey,
          response,
          keyRecord -> {
            guard.rejectUnsafeFields(body);
            Submission submission = validate(caller, body);
            AlongsideInsert callback =
                body.callbackUrl() == null
                    ? AlongsideInsert.NOTHING
                    : webhooks.callbackFor(callbackUrls.check("callback_url", body.callbackUrl()));
            queueLimit.admit(submission.priority());
            UUID owner = submission.userId();
            long characters = submission.utterance().characters();
            // Charged once the text is known to be speakable; given back if it is refused after
            // all.
            try (QuotaCharge charge =
                budget
                    .checkAndCharge(owner, characters)
                    .orElseGet(() -> limiter.charge(owner, characters))) {
              // the key's record first: a key taken already rolls back before anything is written
              SubmitResponse answer =
                  SubmitResponse.of(
                      requests.submit(submission, AlongsideInsert.both(keyRecord, callback)),
                      submission.utterance().lexicons());
              charge.keep();
              return answer;
            }
          });
    } catch (RuntimeException e) {
      budget.check(); // done already unless the call failed before its limits were asked
      throw e;
    }
  }

  /**
   * What {@link #submit} would do with this body, without queueing or charging anything: billable
   * characters, the audio's estimated length, whether it is stored already, the quota left after
   * it, and the expected wait. The body is checked exactly as a submission's (the same 400s).
   */
  @DocumentBody
  @PostMapping(
      path = "/estimate",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  EstimateResponse estimate(Caller caller, @RequestBody SubmitBody body) {
    guard.rejectUnsafeFields(body);
    Submission submission = validate(caller, body);
    if (body.callbackUrl() != null) {
      callbackUrls.check("callback_url", body.callbackUrl());
    }
    Utterance utterance = submission.utterance();
    Estimates.Estimate estimate = estimates.estimate(submission);
    long characters = utterance.characters();
    QuotaInfo quota =
        limiter
            .quota(submission.userId())
            .map(
                q -> {
                  long left = q.charactersPerDay() - q.usedToday() - characters;
                  return new QuotaInfo(q.charactersPerDay(), q.usedToday(), left, left >= 0);
                })
            .orElse(null);
    QueueForecast.Forecast forecast =
        estimate.cached()
            ? null
            : forecasts.ofNew(submission.userId(), submission.priority()).orElse(null);
    Double wait =
        estimate.cached() ? Double.valueOf(0) : forecast == null ? null : forecast.doneInSeconds();
    return new EstimateResponse(
        characters,
        utterance.voice().id(),
        utterance.language(),
        utterance.format().extension(),
        utterance.sampleRate(),
        submission.priority().wireName(),
        estimate.audioSeconds(),
        estimate.basis(),
        estimate.cached(),
        quota,
        wait,
        forecast == null ? null : QueueInfo.of(forecast));
  }

  Submission validate(Caller caller, SubmitBody body) {
    List<FieldError> errors = new ArrayList<>();
    if (body.text() == null) {
      errors.add(new FieldError("text", "is required"));
    } else if (body.text().isBlank()) {
      errors.add(new FieldError("text", "must not be empty or only whitespace"));
    }
    VoiceSettingsBody settings =
        body.voiceSettings() != null
            ? body.voiceSettings()
            : new VoiceSettingsBody(null, null, null, null);
    double speed = settings.speed() != null ? settings.speed() : 1.0;
    double pitch = settings.pitch() != null ? settings.pitch() : 0.0;
    if (speed < SpeechSettings.MIN_SPEED || speed > SpeechSettings.MAX_SPEED) {
      errors.add(
          new FieldError(
              "voice_settings.speed",
              "must be between " + SpeechSettings.MIN_SPEED + " and " + SpeechSettings.MAX_SPEED));
    }
    if (pitch < SpeechSettings.MIN_PITCH || pitch > SpeechSettings.MAX_PITCH) {
      errors.add(
          new FieldError(
              "voice_settings.pitch",
              "must be between "
                  + SpeechSettings.MIN_PITCH
                  + " and "
                  + SpeechSettings.MAX_PITCH
                  + " semitones"));
    }
    AudioFormat format = AudioFormat.WAV;
    if (body.format() != null) {
      format = AudioFormat.parse(body.format()).orElse(null);
      if (format == null) {
        errors.add(new FieldError("format", "must be one of " + names(AudioFormat.values())));
      }
    }
    Integer sampleRate = body.sampleRate();
    if (sampleRate != null && !AudioFormat.SAMPLE_RATES.contains(sampleRate)) {
      errors.add(new FieldError("sample_rate", "must be one of " + AudioFormat.SAMPLE_RATES));
    }
    if (settings.language() != null
        && !settings.language().isBlank()
        && !LanguageTags.isWellFormed(settings.language())) {
      errors.add(
          new FieldError(
              "voice_settings.language", "must be a well-formed BCP 47 tag such as en-US or vi"));
    }
    Priority priority = Priority.NORMAL;
    if (body.priority() != null) {
      priority = Priority.parse(body.priority()).orElse(null);
      if (priority == null) {
        errors.add(new FieldError("priority", "must be one of " + names(Priority.values())));
      }
    }
    String textType =
        body.textType() == null ? null : body.textType().strip().toLowerCase(Locale.ROOT);
    if (textType != null && !textType.equals("text") && !textType.equals("ssml")) {
      errors.add(new FieldError("text_type", "must be one of text, ssml"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    // Left out, a text whose root is <speak> is SSML; "text" reads it aloud as it is.
    boolean ssml = "ssml".equals(textType) || (textType == null && Ssml.looksLikeSsml(body.text()));
    String language = blankToNull(settings.language());
    String voice = blankToNull(settings.voice());
    if (language == null && voice == null) {
      language = DEFAULT_LANGUAGE;
    }
    UUID owner = owner(caller, body.userId());
    Utterance utterance =
        ssml
            ? utterances.ofSsml(
                body.text(), voice, language, new SpeechSettings(speed, pitch), format, sampleRate)
            : utterances.of(
                body.text(), voice, language, new SpeechSettings(speed, pitch), format, sampleRate);
    // the owner's lexicons (an admin submitting for a user uses that user's)
    return new Submission(
        owner, priority, utterances.withLexicons(utterance, owner, body.lexicons(), "lexicons"));
  }

  /**
   * Whose request it is. {@code user_id} may be left out; if given it must name the caller (by id
   * or name), unless the caller is an admin acting for another user.
   */
  private UUID owner(Caller caller, String userId) {
    if (userId == null || userId.isBlank()) {
      return caller.userId();
    }
    if (userId.equals(caller.userId().toString()) || userId.equals(caller.name())) {
      return caller.userId();
    }
    if (!caller.admin()) {
      throw new ForbiddenException("user_id must be your own; only an admin may submit for others");
    }
    return users
        .findUser(userId)
        .map(Caller::userId)
        .orElseThrow(() -> new InvalidInputException("user_id", "no user '" + userId + "'"));
  }

  /**
   * The request's status. Its place in the queue (asked before the status is known: {@link
   * QueueForecast#early}), its status hash and its poll budget ({@link Budgeted}) are sent together
   * and waited for once: one Redis round trip, queued or not. The answer carries an ETag of its
   * fields ({@link StatusEtag}), and a poll with a matching {@code If-None-Match} gets a bodyless
   * 304.
   */
  @GetMapping(path = "/status/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<StatusResponse> status(Caller caller, Budgeted budget, @PathVariable String id) {
    QueueForecast.EarlyPlace place = forecasts.early(id, caller.userId());
    return statusAnswer(
        requests.status(caller.userId(), caller.admin(), id, budget::check), null, place);
  }

  /**
   * A status poll with {@code Prefer: wait=N} (RFC 7240): answered as soon as the status changes,
   * or after N seconds (at most {@code tts.status.max-wait}) with the status as it is, without a
   * thread waiting ({@link StatusWaits}). It counts once against the poll budget. A poll of an
   * ended request, or one made when this node has as many waiting as it may, is answered at once.
   */
  @GetMapping(
      path = "/status/{id}",
      headers = PreferWait.HEADER,
      produces = MediaType.APPLICATION_JSON_VALUE)
  DeferredResult<ResponseEntity<StatusResponse>> statusWaiting(
      Caller caller,
      Budgeted budget,
      @PathVariable String id,
      @RequestHeader(PreferWait.HEADER) List<String> prefer) {
    Duration wait = PreferWait.parse(prefer, statusWaitProperties.maxWait()).orElse(null);
    boolean atOnce = wait == null || !waits.hasRoom();
    // a poll that waits answers with the place as it is when it ends, not as it was now
    QueueForecast.EarlyPlace place = atOnce ? forecasts.early(id, caller.userId()) : null;
    StatusSnapshot first = requests.status(caller.userId(), caller.admin(), id, budget::check);
    if (atOnce) {
      DeferredResult<ResponseEntity<StatusResponse>> now = new DeferredResult<>();
      now.setResult(statusAnswer(first, null, place));
      return now;
    }
    if (first.status().terminal()) {
      DeferredResult<ResponseEntity<StatusResponse>> now = new DeferredResult<>();
      now.setResult(statusAnswer(first, wait, null));
      return now;
    }
    return waits.await(
        first,
        wait,
        () -> requests.status(caller.userId(), caller.admin(), id),
        snapshot -> statusAnswer(snapshot, wait));
  }

  private ResponseEntity<StatusResponse> statusAnswer(StatusSnapshot snapshot, Duration waited) {
    return statusAnswer(snapshot, waited, null);
  }

  /** With {@code place}, a place asked early for the same poll (null: asked now if queued). */
  private ResponseEntity<StatusResponse> statusAnswer(
      StatusSnapshot snapshot, Duration waited, QueueForecast.EarlyPlace place) {
    // Status changes while a job runs: clients may cache it only if they revalidate each time.
    ResponseEntity.BodyBuilder answer =
        ResponseEntity.ok().cacheControl(CacheControl.noCache()).varyBy(PreferWait.HEADER);
    if (waited != null) {
      answer.header(PreferWait.APPLIED_HEADER, PreferWait.applied(waited));
    }
    StatusResponse body = StatusResponse.of(snapshot, queueInfo(snapshot, place));
    return answer.eTag(StatusEtag.of(body)).body(body);
  }

  /** Where a queued request stands; null for any other, or when Redis cannot say. */
  private QueueInfo queueInfo(StatusSnapshot snapshot, QueueForecast.EarlyPlace place) {
    if (snapshot.status() != RequestStatus.QUEUED) {
      return null;
    }
    Priority priority =
        snapshot.priority() != null
            ? snapshot.priority()
            : requests.get(snapshot.userId(), true, snapshot.id().toString()).priority();
    return forecasts
        .ofQueued(snapshot.id(), snapshot.userId(), priority, place)
        .map(QueueInfo::of)
        .orElse(null);
  }

  /**
   * Streams the audio from the store, with Content-Length, an ETag (the content key: 304 on
   * If-None-Match) and byte ranges (206, or 416 when none can be served): see {@link
   * AudioDownload}.
   */
  @GetMapping("/audio/{id}")
  ResponseEntity<?> audio(
      Caller caller,
      @PathVariable String id,
      HttpServletRequest servletRequest,
      HttpServletResponse servletResponse)
      throws IOException {
    TtsRequest request = requests.get(caller.userId(), caller.admin(), id);
    if (request.status() != RequestStatus.COMPLETED) {
      throw new RequestStateException(
          "The audio is not ready: the request is " + request.status().wireName(),
          request.status());
    }
    StoredAudio audio =
        audioStore
            .find(request.contentKey())
            .orElseThrow(
                () ->
                    new RequestStateException(
                        "The audio of this request is no longer stored", request.status()));
    return AudioDownload.answer(
        servletRequest,
        servletResponse,
        request.contentKey(),
        request.id() + "." + audio.format().extension(),
        audio);
  }

  @DeleteMapping(path = "/request/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  StatusResponse cancel(Caller caller, @PathVariable String id) {
    TtsRequest cancelled = requests.cancel(caller.userId(), caller.admin(), id);
    return StatusResponse.of(requests.status(cancelled.userId(), true, id));
  }

  @GetMapping(path = "/requests", produces = MediaType.APPLICATION_JSON_VALUE)
  RequestPage list(
      Caller caller,
      @RequestParam(required = false) String status,
      @RequestParam(defaultValue = "20") int limit,
      @RequestParam(required = false) String cursor) {
    RequestStatus wanted = null;
    if (status != null && !status.isBlank()) {
      wanted =
          Arrays.stream(RequestStatus.values())
              .filter(s -> s.wireName().equals(status.trim().toLowerCase(Locale.ROOT)))
              .findFirst()
              .orElseThrow(
                  () ->
                      new InvalidInputException(
                          "status", "must be one of " + names(RequestStatus.values())));
    }
    if (limit < 1) {
      throw new InvalidInputException("limit", "must be at least 1");
    }
    RequestService.Page page = requests.list(caller.userId(), wanted, cursor, limit);
    return new RequestPage(
        page.items().stream().map(RequestSummary::of).toList(), page.nextCursor());
  }

  @GetMapping(path = "/voices", produces = MediaType.APPLICATION_JSON_VALUE)
  VoiceList voices(@RequestParam(required = false) String language) {
    if (language != null && !language.isBlank() && !LanguageTags.isWellFormed(language)) {
      throw new InvalidInputException(
          "language", "must be a well-formed BCP 47 tag such as en-US or vi");
    }
    var list = voices.current().voices(language);
    return new VoiceList(list.stream().map(VoiceResponse::of).toList());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static String names(Enum<?>[] values) {
    return Arrays.stream(values)
        .map(v -> v.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", "));
  }
}
