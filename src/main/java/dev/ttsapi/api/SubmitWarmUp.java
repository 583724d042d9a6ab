package dev.ttsapi.api;

import dev.ttsapi.api.TtsDtos.StatusResponse;
import dev.ttsapi.api.TtsDtos.SubmitBody;
import dev.ttsapi.api.TtsDtos.SubmitResponse;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.observability.WarmUpStep;
import dev.ttsapi.request.RequestService;
import dev.ttsapi.request.StatusSnapshot;
import dev.ttsapi.request.Submission;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API's submit, cache-hit and status paths, run before the node reports ready ({@link
 * dev.ttsapi.observability.WarmUp}) so the first users meet compiled code: a submit body read by
 * the JSON mapper the HTTP layer uses, validated as {@code POST /tts/request} validates it (voice
 * resolved, text normalised), the rows of a queued request and of a cache hit written and a status
 * read inside a transaction that is rolled back ({@link RequestService#rehearse}), and the answers
 * of both and of a status poll (with its ETag) written as JSON. The caller is made up (no user row,
 * no key); nothing stays: no row, no Redis key, no quota or usage, no queue entry, no event.
 */
@Component
@ConditionalOnRole(Role.API)
class SubmitWarmUp implements WarmUpStep {

  private final Caller caller =
      new Caller(UUID.randomUUID(), "warm-up (not a user)", Caller.Role.USER);
  private final AtomicLong counter = new AtomicLong();
  private final TtsController controller;
  private final RequestService requests;
  private final JsonMapper json;

  SubmitWarmUp(TtsController controller, RequestService requests, JsonMapper json) {
    this.controller = controller;
    this.requests = requests;
    this.json = json;
  }

  /** The made-up user the warm-up submits as: no row, no key; nothing of theirs may stay. */
  UUID userId() {
    return caller.userId();
  }

  @Override
  public String name() {
    return "submit, cache hit and status";
  }

  @Override
  public void runOnce() {
    // A new text each time, as new submits have: the content key is hashed anew.
    byte[] body =
        ("{\"text\":\"Warming up, sentence number "
                + counter.incrementAndGet()
                + ".\",\"voice_settings\":{\"language\":\"en-US\",\"speed\":1.0,\"pitch\":0.0},"
                + "\"format\":\"wav\"}")
            .getBytes(StandardCharsets.UTF_8);
    Submission submission = controller.validate(caller, json.readValue(body, SubmitBody.class));
    for (RequestService.Accepted accepted : requests.rehearse(submission)) {
      json.writeValueAsBytes(SubmitResponse.of(accepted, submission.utterance().lexicons()));
      StatusResponse status = StatusResponse.of(StatusSnapshot.of(accepted.request()), null);
      StatusEtag.of(status);
      json.writeValueAsBytes(status);
    }
  }
}
