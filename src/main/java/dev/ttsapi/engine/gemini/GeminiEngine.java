package dev.ttsapi.engine.gemini;

import com.google.genai.Client;
import com.google.genai.errors.ApiException;
import com.google.genai.errors.GenAiIOException;
import com.google.genai.types.Blob;
import com.google.genai.types.Candidate;
import com.google.genai.types.ClientOptions;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.PrebuiltVoiceConfig;
import com.google.genai.types.SpeechConfig;
import com.google.genai.types.VoiceConfig;
import dev.ttsapi.audio.Pcm;
import dev.ttsapi.audio.PcmEffects;
import dev.ttsapi.engine.InterruptibleCall;
import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.SynthesisException;
import dev.ttsapi.engine.SynthesisUsage;
import dev.ttsapi.engine.Voice;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gemini TTS through the official Google GenAI SDK: {@code generateContent} with {@code
 * responseModalities: ["AUDIO"]} and a prebuilt voice; the answer is 16-bit mono PCM at 24 kHz.
 * Gemini has no speaking rate or pitch setting, so both are applied to the PCM afterwards.
 *
 * <p>Each chunk is tried up to {@code maxAttempts} times. What happens after a failed call:
 *
 * <ul>
 *   <li>429 with {@code RetryInfo.retryDelay}: the concurrency limit halves, and the call is
 *       repeated after exactly that delay (or backoff when there is none);
 *   <li>429 for an exhausted per-day quota: the chunk fails at once and every call fails without
 *       reaching Gemini for {@code dailyQuotaPause};
 *   <li>5xx, network error, HTTP 200 without audio ({@code finishReason: OTHER}): exponential
 *       backoff with jitter, then again;
 *   <li>other 4xx (bad key, bad request) and blocked content: the chunk fails at once.
 * </ul>
 *
 * <p>A circuit breaker opens after {@code failureThreshold} consecutive server failures; while
 * open, calls fail at once. The SDK's own retries are switched off: they would retry a 429 blindly,
 * five times, ignoring Gemini's retry delay and daily quotas. Each HTTP call runs as an {@link
 * InterruptibleCall}: an interrupted caller stops waiting for Gemini at once and tries no more.
 */
public final class GeminiEngine implements SpeechEngine, AutoCloseable {

  public static final String ID = "gemini";

  private static final Logger log = LoggerFactory.getLogger(GeminiEngine.class);
  private static final String API_VERSION = "v1beta";
  private static final Pattern RATE = Pattern.compile("rate=(\\d+)");

  /** Finish reasons that another try may well change; the others (SAFETY...) are verdicts. */
  private static final Set<String> RETRYABLE_FINISH = Set.of("OTHER", "STOP", "MAX_TOKENS", "");

  private final GeminiProperties properties;
  private final Clock clock;
  private final Client client;
  private final List<Voice> voices;
  private final CircuitBreaker breaker;
  private final AimdLimiter limiter;
  private final AtomicReference<Instant> pausedUntil = new AtomicReference<>(Instant.MIN);
  private final AtomicReference<String> pauseReason = new AtomicReference<>("");

  public GeminiEngine(GeminiProperties properties, Clock clock) {
    if (!properties.enabled()) {
      throw new IllegalArgumentException("Gemini needs an API key (tts.engines.gemini.api-key)");
    }
    this.properties = properties;
    this.clock = clock;
    this.voices = GeminiVoices.all(properties.language());
    this.limiter =
        new AimdLimiter(properties.concurrency().initial(), properties.concurrency().max());
    this.breaker =
        CircuitBreaker.of(
            "gemini",
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(properties.circuitBreaker().failureThreshold())
                .minimumNumberOfCalls(properties.circuitBreaker().failureThreshold())
                .failureRateThreshold(100)
                .waitDurationInOpenState(properties.circuitBreaker().openDuration())
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
    this.client = buildClient(properties);
  }

  private static Client buildClient(GeminiProperties properties) {
    HttpOptions.Builder http =
        HttpOptions.builder()
            .timeout(Math.toIntExact(properties.timeout().toMillis()))
            // Google's TTS documentation speaks v1beta; SDK 2.x defaults to v1
            .apiVersion(API_VERSION)
            // one HTTP call per attempt: the retry policy is this class's. No status codes, as
            // well: SDK 2.0.0 sleeps its backoff even after its last attempt for those it retries
            .retryOptions(
                HttpRetryOptions.builder().attempts(1).httpStatusCodes(List.of()).build());
    if (properties.baseUrl() != null && !properties.baseUrl().isBlank()) {
      http.baseUrl(properties.baseUrl());
    }
    OkHttpClient okHttp =
        new OkHttpClient.Builder()
            .callTimeout(properties.timeout())
            .addInterceptor(ErrorBodies::capture)
            .build();
    return Client.builder()
        .apiKey(properties.apiKey())
        .vertexAI(false)
        .httpOptions(http.build())
        .clientOptions(ClientOptions.builder().customHttpClient(okHttp).build())
        .build();
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String version() {
    return ID + "-" + properties.model();
  }

  @Override
  public String model() {
    return properties.model();
  }

  @Override
  public List<Voice> voices() {
    return voices;
  }

  @Override
  public Pcm synthesize(String text, Voice voice, SpeechSettings settings) {
    return synthesize(text, voice, settings, usage -> {});
  }

  @Override
  public Pcm synthesize(
      String text, Voice voice, SpeechSettings settings, Consumer<SynthesisUsage> usage) {
    if (!ID.equals(voice.engine()) || voices.stream().noneMatch(v -> v.id().equals(voice.id()))) {
      throw new SynthesisException("Gemini has no voice '" + voice.id() + "'");
    }
    if (text == null || text.isBlank()) {
      return new Pcm(new byte[0], GeminiVoices.SAMPLE_RATE);
    }
    Answer answer = callWithRetries(text, voice.name());
    usage.accept(answer.usage(text));
    return PcmEffects.apply(answer.pcm(), settings.speed(), settings.pitch());
  }

  /** Calls in flight allowed towards Gemini now (AIMD). */
  int concurrencyLimit() {
    return limiter.limit();
  }

  CircuitBreaker.State circuitState() {
    return breaker.getState();
  }

  private Answer callWithRetries(String text, String voiceName) {
    String lastProblem = "";
    for (int attempt = 1; attempt <= properties.maxAttempts(); attempt++) {
      Outcome outcome = attempt(text, voiceName);
      switch (outcome) {
        case Outcome.Audio audio -> {
          return audio.answer();
        }
        case Outcome.Fatal fatal -> throw fatal.exception();
        case Outcome.Retry retry -> {
          lastProblem = retry.problem();
          if (attempt < properties.maxAttempts()) {
            int failed = attempt;
            Duration wait = retry.after().orElseGet(() -> backoff(failed));
            log.info(
                "Gemini attempt {} of {} failed ({}); trying again in {} ms",
                attempt,
                properties.maxAttempts(),
                retry.problem(),
                wait.toMillis());
            sleep(wait);
          }
        }
      }
    }
    throw new SynthesisException(
        "Gemini failed after " + properties.maxAttempts() + " attempts: " + lastProblem);
  }

  /** One HTTP call, classified. */
  private Outcome attempt(String text, String voiceName) {
    Instant now = clock.instant();
    if (now.isBefore(pausedUntil.get())) {
      return new Outcome.Fatal(
          new SynthesisException(
              pauseReason.get() + "; Gemini calls paused until " + pausedUntil.get()));
    }
    if (!breaker.tryAcquirePermission()) {
      return new Outcome.Fatal(
          new SynthesisException(
              "Gemini failed "
                  + properties.circuitBreaker().failureThreshold()
                  + " times in a row; calls paused for "
                  + properties.circuitBreaker().openDuration()
                  + " (circuit breaker open)"));
    }
    if (!acquireSlot()) {
      breaker.releasePermission();
      return new Outcome.Fatal(
          new SynthesisException(
              "no Gemini call slot free within "
                  + properties.timeout()
                  + " (concurrency limit "
                  + limiter.limit()
                  + ")"));
    }
    long started = System.nanoTime();
    try {
      GenerateContentResponse response =
          InterruptibleCall.run("Gemini's answer", () -> generate(text, voiceName));
      Optional<Answer> answer = audioOf(response);
      if (answer.isPresent()) {
        breaker.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        limiter.onSuccess();
        return new Outcome.Audio(answer.get());
      }
      String finish = finishReason(response);
      String blocked =
          response.promptFeedback().flatMap(f -> f.blockReason()).map(Object::toString).orElse("");
      if (!blocked.isEmpty() || !RETRYABLE_FINISH.contains(finish)) {
        breaker.releasePermission();
        return new Outcome.Fatal(
            new SynthesisException(
                "Gemini refused to speak this text ("
                    + (blocked.isEmpty() ? "finishReason " + finish : "blockReason " + blocked)
                    + ")"));
      }
      String problem =
          "HTTP 200 without audio (finishReason " + (finish.isEmpty() ? "absent" : finish) + ")";
      breaker.onError(
          System.nanoTime() - started, TimeUnit.NANOSECONDS, new SynthesisException(problem));
      return new Outcome.Retry(problem, Optional.empty());
    } catch (ApiFailure e) {
      return classify(e.error, e.body, System.nanoTime() - started);
    } catch (SynthesisException interrupted) {
      // the caller was interrupted: not Gemini's failure, and not to be tried again
      breaker.releasePermission();
      return new Outcome.Fatal(interrupted);
    } catch (GenAiIOException e) {
      breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
      return new Outcome.Retry("network error: " + e.getMessage(), Optional.empty());
    } catch (RuntimeException e) {
      // an answer the SDK could not read: a failure of Gemini's, but not one to retry blindly
      breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
      return new Outcome.Fatal(
          new SynthesisException("unreadable answer from Gemini: " + e.getMessage(), e));
    } finally {
      limiter.release();
    }
  }

  /** The SDK's call; an error answer comes with its body, which the SDK's exception leaves out. */
  private GenerateContentResponse generate(String text, String voiceName) {
    try {
      return client.models.generateContent(properties.model(), text, config(voiceName));
    } catch (ApiException e) {
      throw new ApiFailure(e, ErrorBodies.take());
    } finally {
      ErrorBodies.take();
    }
  }

  private Outcome classify(ApiException e, String body, long nanos) {
    GeminiError error = GeminiError.parse(e.code(), body);
    if (e.code() == 429) {
      breaker.releasePermission();
      limiter.onOverload();
      if (error.dailyQuotaExhausted()) {
        Instant until = clock.instant().plus(properties.dailyQuotaPause());
        pauseReason.set(
            "Gemini's daily quota is exhausted (" + String.join(", ", error.quotaIds()) + ")");
        pausedUntil.set(until);
        log.warn("{}; calls paused until {}", pauseReason.get(), until);
        return new Outcome.Fatal(
            new SynthesisException(
                pauseReason.get() + "; calls paused until " + until + ": " + error.describe(), e));
      }
      Optional<Duration> delay = error.retryDelay();
      if (delay.isPresent() && delay.get().compareTo(properties.maxRetryDelay()) > 0) {
        return new Outcome.Fatal(
            new SynthesisException(
                "Gemini asked to wait "
                    + delay.get()
                    + ", longer than tts.engines.gemini.max-retry-delay ("
                    + properties.maxRetryDelay()
                    + "): "
                    + error.describe(),
                e));
      }
      return new Outcome.Retry(error.describe(), delay);
    }
    if (e.code() >= 500 || e.code() == 408) {
      breaker.onError(nanos, TimeUnit.NANOSECONDS, e);
      return new Outcome.Retry(error.describe(), Optional.empty());
    }
    breaker.releasePermission();
    String hint =
        e.code() == 401 || e.code() == 403
            ? " (check GEMINI_API_KEY)"
            : e.code() == 404 ? " (check tts.engines.gemini.model)" : "";
    return new Outcome.Fatal(
        new SynthesisException("Gemini rejected the request: " + error.describe() + hint, e));
  }

  private boolean acquireSlot() {
    try {
      return limiter.tryAcquire(properties.timeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SynthesisException("interrupted while waiting for a Gemini call slot", e);
    }
  }

  private static GenerateContentConfig config(String voiceName) {
    return GenerateContentConfig.builder()
        .responseModalities("AUDIO")
        .speechConfig(
            SpeechConfig.builder()
                .voiceConfig(
                    VoiceConfig.builder()
                        .prebuiltVoiceConfig(PrebuiltVoiceConfig.builder().voiceName(voiceName))))
        .build();
  }

  /** {@code candidates[0].content.parts[0].inlineData}, when it holds audio. */
  private static Optional<Answer> audioOf(GenerateContentResponse response) {
    Optional<Blob> blob =
        response
            .candidates()
            .flatMap(c -> c.stream().findFirst())
            .flatMap(Candidate::content)
            .flatMap(Content::parts)
            .flatMap(parts -> parts.stream().flatMap(p -> p.inlineData().stream()).findFirst())
            .filter(b -> b.data().map(d -> d.length > 0).orElse(false));
    return blob.map(
        b -> {
          byte[] data = b.data().orElseThrow();
          // 16-bit samples: an odd trailing byte is half a sample
          byte[] samples = data.length % 2 == 0 ? data : Arrays.copyOf(data, data.length - 1);
          return new Answer(
              new Pcm(samples, sampleRate(b.mimeType().orElse(""))), response.usageMetadata());
        });
  }

  private static String finishReason(GenerateContentResponse response) {
    return response
        .candidates()
        .flatMap(c -> c.stream().findFirst())
        .flatMap(Candidate::finishReason)
        .map(Object::toString)
        .orElse("");
  }

  /** {@code audio/L16;codec=pcm;rate=24000}; 24 kHz when the type does not say. */
  static int sampleRate(String mimeType) {
    Matcher m = RATE.matcher(mimeType);
    return m.find() ? Integer.parseInt(m.group(1)) : GeminiVoices.SAMPLE_RATE;
  }

  /** Exponential backoff with jitter: a random wait between half and all of base·2^(n−1). */
  Duration backoff(int attempt) {
    return backoff(
        attempt,
        properties.backoffBase(),
        properties.backoffMax(),
        ThreadLocalRandom.current().nextDouble());
  }

  static Duration backoff(int attempt, Duration base, Duration max, double random) {
    double ceiling =
        Math.min(max.toNanos(), base.toNanos() * Math.pow(2, Math.max(0, attempt - 1)));
    return Duration.ofNanos((long) (ceiling * (0.5 + 0.5 * random)));
  }

  private static void sleep(Duration wait) {
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SynthesisException("interrupted while waiting to retry Gemini", e);
    }
  }

  @Override
  public void close() {
    client.close();
  }

  private record Answer(Pcm pcm, Optional<GenerateContentResponseUsageMetadata> usageMetadata) {
    SynthesisUsage usage(String text) {
      SynthesisUsage chars = SynthesisUsage.ofCharacters(text);
      return usageMetadata
          .map(
              u ->
                  new SynthesisUsage(
                      chars.characters(),
                      u.promptTokenCount().orElse(0),
                      u.candidatesTokenCount().orElse(0)))
          .orElse(chars);
    }
  }

  /** An error answer from Gemini with its body, out of the call's own thread. */
  private static final class ApiFailure extends RuntimeException {
    private final transient ApiException error;
    private final String body;

    ApiFailure(ApiException error, String body) {
      super(error.getMessage(), error, false, false);
      this.error = error;
      this.body = body;
    }
  }

  private sealed interface Outcome {
    record Audio(Answer answer) implements Outcome {}

    record Retry(String problem, Optional<Duration> after) implements Outcome {}

    record Fatal(SynthesisException exception) implements Outcome {}
  }

  /**
   * The body of the last error answer on this thread. The SDK's {@link ApiException} keeps only the
   * message; the retry delay and quota details are in the body, which this interceptor reads (a
   * copy; the SDK still reads the original). OkHttp runs a synchronous call's interceptors on the
   * calling thread (the call's own virtual thread), so a thread-local hands the body to the engine.
   */
  private static final class ErrorBodies {
    private static final ThreadLocal<String> LAST = new ThreadLocal<>();
    private static final long MAX_BYTES = 64 * 1024;

    static Response capture(okhttp3.Interceptor.Chain chain) throws java.io.IOException {
      Response response = chain.proceed(chain.request());
      if (!response.isSuccessful()) {
        LAST.set(response.peekBody(MAX_BYTES).string());
      }
      return response;
    }

    static String take() {
      String body = LAST.get();
      LAST.remove();
      return body;
    }
  }
}
