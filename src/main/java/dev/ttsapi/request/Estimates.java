package dev.ttsapi.request;

import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.request.RequestRepository.SpokenSample;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;

/**
 * What a submission would cost and give, without submitting it: the audio's length from the voice's
 * measured speaking rate (its recent completed requests: audio seconds at speed 1 per character),
 * or the language's configured rate while too few were measured, and whether its audio is already
 * stored (the content key a submission would get). Nothing is written.
 */
@Service
public class Estimates {

  private final RequestService requests;
  private final RequestRepository repository;
  private final AudioStore audioStore;
  private final RequestProperties requestProperties;
  private final EstimateProperties properties;
  private final Clock clock;
  private final Map<String, Rate> measured = new ConcurrentHashMap<>();

  Estimates(
      RequestService requests,
      RequestRepository repository,
      AudioStore audioStore,
      RequestProperties requestProperties,
      EstimateProperties properties,
      Clock clock) {
    this.requests = requests;
    this.repository = repository;
    this.audioStore = audioStore;
    this.requestProperties = requestProperties;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * An estimate of a submission.
   *
   * @param cached true if its audio is stored and it would be answered at once; as with a
   *     submission's {@code cache_hit}, only for audio this user asked for before (or kept per
   *     user), since it would otherwise tell them what someone else asked for
   * @param audioSeconds the estimated length of the audio (the stored length when cached)
   * @param basis how the length was estimated: {@code stored}, {@code measured} (this voice's
   *     recent requests) or {@code language} (the configured rate of its language)
   */
  public record Estimate(boolean cached, double audioSeconds, String basis) {}

  public Estimate estimate(Submission submission) {
    TtsRequest.Speech speech = requests.speech(submission);
    var stored = repository.findCachedAudios(List.of(speech.contentKey())).get(speech.contentKey());
    boolean mayTell =
        requestProperties.audioCache() == AudioCacheScope.PER_USER
            || (stored != null
                && repository
                    .askedBefore(submission.userId(), List.of(speech.contentKey()))
                    .contains(speech.contentKey()));
    if (stored != null && mayTell && audioStore.find(speech.contentKey()).isPresent()) {
      return new Estimate(true, stored.durationMs() / 1000.0, "stored");
    }
    Utterance utterance = submission.utterance();
    Rate rate = rateOf(utterance.voice().id(), utterance.language());
    double seconds = utterance.characters() / rate.charactersPerSecond() / speech.speed();
    return new Estimate(false, Math.round(seconds * 10) / 10.0, rate.basis());
  }

  /** Characters per second at speed 1: measured for the voice, else the language's. */
  private Rate rateOf(String voice, String language) {
    Instant now = clock.instant();
    Rate rate = measured.get(voice);
    if (rate == null || rate.measuredAt().plus(properties.remeasureEvery()).isBefore(now)) {
      SpokenSample sample =
          repository.spokenSample(
              voice, now.minus(properties.measureWindow()), properties.measureSamples());
      rate =
          sample.requests() >= properties.minMeasuredRequests() && sample.millisAtSpeedOne() > 0
              ? new Rate(sample.characters() * 1000.0 / sample.millisAtSpeedOne(), "measured", now)
              : new Rate(0, "language", now);
      measured.put(voice, rate);
    }
    if (rate.charactersPerSecond() > 0) {
      return rate;
    }
    String primary = language == null ? "" : language.split("-", 2)[0].toLowerCase(Locale.ROOT);
    return new Rate(
        properties
            .charactersPerSecond()
            .getOrDefault(primary, properties.defaultCharactersPerSecond()),
        "language",
        now);
  }

  private record Rate(double charactersPerSecond, String basis, Instant measuredAt) {}
}
