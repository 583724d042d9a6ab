package dev.ttsapi.timings;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import dev.ttsapi.timings.TimingsService.Timed;
import dev.ttsapi.web.InvalidInputException;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A completed request's timings ({@code /tts/timings/{id}}: JSON, or Polly's speech marks) and
 * captions ({@code /tts/captions/{id}}: WebVTT or SRT). Who may read them is who may download the
 * audio: its owner or an admin.
 */
@RestController
@RequestMapping("/tts")
@ConditionalOnRole(Role.API)
class TimingsController {

  /** Polly answers speech marks with this type: one JSON object per line. */
  static final MediaType JSON_LINES = MediaType.parseMediaType("application/x-json-stream");

  static final MediaType VTT = MediaType.parseMediaType("text/vtt;charset=UTF-8");
  static final MediaType SRT = MediaType.parseMediaType("application/x-subrip;charset=UTF-8");

  private final TimingsService timings;

  TimingsController(TimingsService timings) {
    this.timings = timings;
  }

  /** What {@code GET /tts/timings/{id}} answers in JSON. */
  record TimingsResponse(String requestId, long durationMs, List<Timing> timings) {}

  @GetMapping("/timings/{id}")
  ResponseEntity<?> timings(
      Caller caller,
      @PathVariable String id,
      @RequestParam(name = "format", defaultValue = "json") String format) {
    if (!format.equals("json") && !format.equals("polly")) {
      throw new InvalidInputException("format", "must be json or polly");
    }
    Timed timed = timings.of(caller.userId(), caller.admin(), id);
    if (format.equals("polly")) {
      return ResponseEntity.ok()
          .contentType(JSON_LINES)
          .body(PollyMarks.of(timed.timings(), timed.request().text()));
    }
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .body(
            new TimingsResponse(
                timed.request().id().toString(),
                timed.timings().durationMs(),
                timed.timings().timings()));
  }

  @GetMapping("/captions/{id}")
  ResponseEntity<String> captions(
      Caller caller,
      @PathVariable String id,
      @RequestParam(name = "format", defaultValue = "vtt") String format) {
    if (!format.equals("vtt") && !format.equals("srt")) {
      throw new InvalidInputException("format", "must be vtt or srt");
    }
    Timed timed = timings.of(caller.userId(), caller.admin(), id);
    List<Captions.Cue> cues = Captions.cues(timed.timings(), timed.request().text(), timed.ssml());
    return format.equals("vtt")
        ? ResponseEntity.ok().contentType(VTT).body(Captions.vtt(cues))
        : ResponseEntity.ok().contentType(SRT).body(Captions.srt(cues));
  }
}
