package dev.ttsapi.api;

import dev.ttsapi.api.TtsDtos.SubmitBody;
import dev.ttsapi.api.TtsDtos.SubmitResponse;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.idempotency.Idempotency;
import dev.ttsapi.request.AlongsideInsert;
import dev.ttsapi.request.RequestService;
import dev.ttsapi.request.TtsRequest;
import dev.ttsapi.text.TextNormalizer;
import dev.ttsapi.web.InvalidInputException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * What stands around a submission besides validation: the {@code Idempotency-Key} (one request per
 * key and body, the first answer replayed), and fields that must never reach the database (control
 * characters, lone surrogates, oversize values).
 */
@Component
class SubmitGuard {

  static final String REPLAYED_HEADER = "Idempotent-Replayed";
  private static final int MAX_FIELD_LENGTH = 200;

  private final Idempotency idempotency;
  private final RequestService requests;
  private final JsonMapper json;

  SubmitGuard(Idempotency idempotency, RequestService requests, JsonMapper json) {
    this.idempotency = idempotency;
    this.requests = requests;
    this.json = json;
  }

  /**
   * Runs the submission, or replays the first answer given to this idempotency key. The submission
   * writes what it is given alongside its request: the key's record, when there is a key.
   */
  SubmitResponse once(
      Caller caller,
      SubmitBody body,
      String idempotencyKey,
      HttpServletResponse response,
      Function<AlongsideInsert, SubmitResponse> submission) {
    if (idempotencyKey == null) {
      return submission.apply(AlongsideInsert.NOTHING);
    }
    if (!Idempotency.VALID_KEY.matcher(idempotencyKey).matches()) {
      throw new InvalidInputException(
          Idempotency.HEADER, "must be 1 to 255 printable ASCII characters");
    }
    Idempotency.Outcome outcome =
        idempotency.once(
            caller.userId(),
            idempotencyKey,
            json.writeValueAsString(body),
            claim ->
                json.writeValueAsString(
                    submission.apply(
                        made -> claim.record(made.getFirst().id(), made.getFirst().createdAt()))),
            requestId -> json.writeValueAsString(recordedAnswer(caller, requestId)));
    if (outcome.replayed()) {
      response.setHeader(REPLAYED_HEADER, "true");
    }
    return json.readValue(outcome.answer(), SubmitResponse.class);
  }

  /**
   * The answer for a request made under a key whose first answer Redis no longer holds: the request
   * as it is now (its status may have moved on since it was accepted).
   */
  private SubmitResponse recordedAnswer(Caller caller, UUID requestId) {
    TtsRequest request = requests.get(caller.userId(), false, requestId.toString());
    return SubmitResponse.of(new RequestService.Accepted(request, request.cacheHit()));
  }

  /** Refuses short fields that are too long or carry characters no database should see. */
  void rejectUnsafeFields(SubmitBody body) {
    List<InvalidInputException.FieldError> errors = new ArrayList<>();
    check(errors, "user_id", body.userId());
    check(errors, "format", body.format());
    check(errors, "priority", body.priority());
    check(errors, "text_type", body.textType());
    if (body.voiceSettings() != null) {
      check(errors, "voice_settings.language", body.voiceSettings().language());
      check(errors, "voice_settings.voice", body.voiceSettings().voice());
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
  }

  private static void check(
      List<InvalidInputException.FieldError> errors, String field, String value) {
    if (value == null) {
      return;
    }
    if (value.length() > MAX_FIELD_LENGTH) {
      errors.add(
          new InvalidInputException.FieldError(
              field, "must be at most " + MAX_FIELD_LENGTH + " characters"));
    } else if (TextNormalizer.hasUnsafeCharacters(value)) {
      errors.add(
          new InvalidInputException.FieldError(
              field, "must not contain control characters or invalid Unicode"));
    }
  }
}
