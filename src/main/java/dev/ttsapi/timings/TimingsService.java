package dev.ttsapi.timings;

import dev.ttsapi.request.RequestService;
import dev.ttsapi.request.RequestStateException;
import dev.ttsapi.request.RequestStatus;
import dev.ttsapi.request.TtsRequest;
import dev.ttsapi.ssml.SsmlReport;
import dev.ttsapi.timings.Timing.Source;
import dev.ttsapi.timings.Timing.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * A completed request's timings: those kept with its audio (by content key), their character
 * offsets moved into the submitted text where a lexicon changed the words; for audio kept without
 * timings, an estimate from its text and length.
 */
@Service
public class TimingsService {

  private static final Pattern TAG = Pattern.compile("<[^>]*>");

  private final RequestService requests;
  private final TimingsStore store;

  TimingsService(RequestService requests, TimingsStore store) {
    this.requests = requests;
    this.store = store;
  }

  /** The request the caller may read (its owner or an admin), with its timings. */
  public Timed of(UUID callerId, boolean admin, String rawId) {
    TtsRequest request = requests.get(callerId, admin, rawId);
    if (request.status() != RequestStatus.COMPLETED) {
      throw new RequestStateException(
          "The timings are not ready: the request is " + request.status().wireName(),
          request.status());
    }
    return new Timed(request, timingsOf(request));
  }

  /** A request and its timings. */
  public record Timed(TtsRequest request, Timings timings) {

    public boolean ssml() {
      return request.ssml() != null;
    }
  }

  Timings timingsOf(TtsRequest request) {
    boolean ssml = request.ssml() != null;
    return store
        .find(request.contentKey())
        .map(
            kept ->
                !ssml && request.speech().spokenText() != null
                    ? kept.remapped(request.speech().spokenText(), request.text())
                    : kept)
        .orElseGet(() -> estimated(request));
  }

  private static Timings estimated(TtsRequest request) {
    Long length = request.outcome().audioDurationMs();
    long duration = length == null ? 0 : length;
    if (request.ssml() == null) {
      return TimingsRecorder.estimate(request.text(), request.language(), duration);
    }
    // an SSML document: its words where they are (tags blanked out), its marks where they fell
    String words = TAG.matcher(request.text()).replaceAll(m -> " ".repeat(m.group().length()));
    Timings estimate = TimingsRecorder.estimate(words, request.language(), duration);
    List<Timing> all = new ArrayList<>(estimate.timings());
    SsmlReport report = SsmlReport.fromJson(request.ssml());
    if (report != null && report.marks() != null) {
      int from = 0;
      for (SsmlReport.MarkTime mark : report.marks()) {
        int at = Math.max(0, request.text().indexOf("<mark", from));
        int end = Math.max(at, request.text().indexOf('>', at) + 1);
        from = end;
        long time = Math.min(mark.timeMs(), duration);
        all.add(new Timing(Unit.MARK, mark.name(), time, time, at, end, Source.ENGINE));
      }
    }
    return new Timings(duration, all);
  }
}
