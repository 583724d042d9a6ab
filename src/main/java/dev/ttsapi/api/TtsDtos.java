package dev.ttsapi.api;

import dev.ttsapi.engine.Voice;
import dev.ttsapi.lexicon.LexiconUse;
import dev.ttsapi.request.RequestService;
import dev.ttsapi.request.StatusSnapshot;
import dev.ttsapi.request.TtsRequest;
import dev.ttsapi.ssml.SsmlReport;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The JSON shapes of the {@code /tts} API. Field names are snake_case on the wire (the seed's
 * payload), set once for the whole application in {@code spring.jackson}.
 */
final class TtsDtos {

  private TtsDtos() {}

  /**
   * The seed's body, plus optional {@code format}, {@code priority} and {@code callback_url} (where
   * to POST the status document when the request ends), and {@code text_type}: {@code text} or
   * {@code ssml}; left out, a text whose root is {@code <speak>} is SSML.
   */
  record SubmitBody(
      String text,
      VoiceSettingsBody voiceSettings,
      String userId,
      String format,
      Integer sampleRate,
      String priority,
      String callbackUrl,
      String textType,
      List<String> lexicons) {}

  record VoiceSettingsBody(String language, String voice, Double speed, Double pitch) {}

  record Links(String status, String audio) {
    static Links of(TtsRequest r) {
      return new Links("/tts/status/" + r.id(), "/tts/audio/" + r.id());
    }
  }

  record SubmitResponse(
      String requestId,
      String status,
      String voice,
      String voiceRequested,
      String language,
      String format,
      int sampleRate,
      String priority,
      boolean cacheHit,
      Instant createdAt,
      Links links,
      SsmlReport ssml,
      LexiconsApplied lexicons) {

    static SubmitResponse of(RequestService.Accepted accepted) {
      return of(accepted, null);
    }

    static SubmitResponse of(RequestService.Accepted accepted, LexiconUse lexicons) {
      TtsRequest r = accepted.request();
      return new SubmitResponse(
          r.id().toString(),
          r.status().wireName(),
          r.voice(),
          r.voiceRequested(),
          r.language(),
          r.format().extension(),
          r.sampleRate(),
          r.priority().wireName(),
          accepted.cacheHit(),
          r.createdAt(),
          Links.of(r),
          SsmlReport.fromJson(r.ssml()),
          LexiconsApplied.of(lexicons));
    }
  }

  /**
   * What the named pronunciation lexicons did to the text: {@code applied} places replaced, {@code
   * phoneme_rules_dropped} places a phoneme-only rule matched but the voice's engine takes no
   * phonemes, and the lexicons' {@code versions} used ({@code name@version}).
   */
  record LexiconsApplied(int applied, int phonemeRulesDropped, List<String> versions) {
    static LexiconsApplied of(LexiconUse use) {
      return use == null
          ? null
          : new LexiconsApplied(use.applied(), use.phonemeRulesDropped(), use.versions());
    }
  }

  record AudioInfo(Double durationSeconds, Long bytes, String url) {}

  record StatusResponse(
      String requestId,
      String status,
      double progress,
      String voice,
      String format,
      Instant createdAt,
      Instant startedAt,
      Instant completedAt,
      String error,
      AudioInfo audio,
      QueueInfo queue,
      SsmlReport ssml) {

    static StatusResponse of(StatusSnapshot s) {
      return of(s, null);
    }

    static StatusResponse of(StatusSnapshot s, QueueInfo queue) {
      AudioInfo audio =
          s.audioBytes() == null
              ? null
              : new AudioInfo(
                  s.audioDurationMs() == null ? null : s.audioDurationMs() / 1000.0,
                  s.audioBytes(),
                  "/tts/audio/" + s.id());
      return new StatusResponse(
          s.id().toString(),
          s.status().wireName(),
          s.progress(),
          s.voice(),
          s.format(),
          s.createdAt(),
          s.startedAt(),
          s.completedAt(),
          s.error(),
          audio,
          queue,
          SsmlReport.fromJson(s.ssml()));
    }
  }

  /**
   * Where a queued request stands ({@link QueueForecast}).
   *
   * @param position its place in line for a worker: 1 is next
   * @param aheadInPriority jobs waiting ahead of it in its priority
   * @param yourJobsAhead the caller's own jobs it waits for (the per-user cap lets only so many of
   *     one user's jobs into the queue at once)
   * @param held whether the per-user cap holds it back for now
   * @param atLeast the counts reached the scan limit: there are at least this many
   * @param startsInSeconds seconds until a worker should take it, from the measured throughput
   * @param etaSeconds seconds until its audio should be ready: that plus the measured mean run time
   * @param jobsPerSecond the measured rate at which workers take jobs (last 60 s)
   */
  record QueueInfo(
      long position,
      long aheadInPriority,
      long yourJobsAhead,
      boolean held,
      boolean atLeast,
      Double startsInSeconds,
      Double etaSeconds,
      Double jobsPerSecond) {

    static QueueInfo of(QueueForecast.Forecast f) {
      return new QueueInfo(
          f.jobsBefore() + 1,
          f.place().aheadInPriority(),
          f.place().aheadOfUser(),
          f.place().held(),
          f.place().atLeast(),
          f.startsInSeconds(),
          f.doneInSeconds(),
          f.jobsPerSecond());
    }
  }

  /**
   * What a submission would cost and give ({@code POST /tts/estimate}); nothing is queued.
   *
   * @param audioSecondsBasis {@code stored} (its audio exists), {@code measured} (the voice's
   *     recent requests) or {@code language} (the language's configured speaking rate)
   * @param quota the daily character quota, or null when limits are off or unreadable
   * @param expectedWaitSeconds until its audio would be ready: 0 if cached, else the queue's
   *     forecast; null when no throughput was measured yet and jobs are waiting
   */
  record EstimateResponse(
      long billableCharacters,
      String voice,
      String language,
      String format,
      int sampleRate,
      String priority,
      double estimatedAudioSeconds,
      String audioSecondsBasis,
      boolean cached,
      QuotaInfo quota,
      Double expectedWaitSeconds,
      QueueInfo queue) {}

  /**
   * @param leftAfter characters left today after this submission; below zero it would be refused
   */
  record QuotaInfo(long charactersPerDay, long usedToday, long leftAfter, boolean fits) {}

  record RequestSummary(
      String requestId,
      String status,
      String voice,
      String format,
      String priority,
      Instant createdAt,
      Instant completedAt,
      Double durationSeconds,
      String error,
      Links links) {

    static RequestSummary of(TtsRequest r) {
      return new RequestSummary(
          r.id().toString(),
          r.status().wireName(),
          r.voice(),
          r.format().extension(),
          r.priority().wireName(),
          r.createdAt(),
          r.completedAt(),
          r.audioDurationMs() == null ? null : r.audioDurationMs() / 1000.0,
          r.error(),
          Links.of(r));
    }
  }

  record RequestPage(List<RequestSummary> items, String nextCursor) {}

  record VoiceResponse(
      String id, String engine, String name, String language, String gender, int sampleRate) {

    static VoiceResponse of(Voice v) {
      return new VoiceResponse(
          v.id(),
          v.engine(),
          v.name(),
          v.language(),
          v.gender().name().toLowerCase(Locale.ROOT),
          v.sampleRate());
    }
  }

  record VoiceList(List<VoiceResponse> voices) {}
}
