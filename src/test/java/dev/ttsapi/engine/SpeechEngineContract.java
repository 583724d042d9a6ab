package dev.ttsapi.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.audio.PcmAnalysis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every {@link SpeechEngine} promises, whatever synthesizes behind it. One subclass per engine
 * runs it: MaryTTS and espeak-ng as they are, Gemini and OpenAI through their SDKs against local
 * fakes of the services ({@link FakeSpeech}).
 *
 * <p>Speed and pitch are promised by every engine, so the seam declares no capability for them:
 * where the synthesizer cannot do them, the engine applies them to the PCM ({@link
 * dev.ttsapi.audio.PcmEffects}). An OpenAI-compatible server takes the speed itself, so its fake
 * speaks faster as OpenAI does.
 *
 * <p>Every engine under contract gives the same samples for the same call (MaryTTS and espeak-ng
 * measured, the fakes by construction), so audio spoken beside other calls is compared byte for
 * byte with the same text spoken alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SpeechEngineContract {

  /** One short sentence, about two seconds of speech. */
  protected static final String SENTENCE = "Hello world, this is a test.";

  /**
   * Quieter than this (−40 dBFS) is silence with noise; speech from every engine measures several
   * thousand.
   */
  private static final double AUDIBLE_RMS = 300;

  /**
   * Speed and tempo ratios may be this far from the exact one, relatively. A pitch-keeping tempo
   * change on the PCM (MaryTTS, Gemini, espeak-ng beyond its range) and the fakes are exact to a
   * frame; espeak-ng's own rate shortens a sentence's pauses more than its sounds, and measures
   * 0.44 at speed 2 and 2.01 at 0.5 on {@link #SENTENCE}. Every engine under contract gives the
   * same samples each time, so this is no allowance for chance.
   */
  private static final double RATIO_TOLERANCE = 0.15;

  /** The longest an interrupted call may take to end: engines' own timeouts are a minute. */
  private static final Duration PROMPTLY = Duration.ofSeconds(10);

  private final Map<String, Pcm> spoken = new ConcurrentHashMap<>();

  /** The engine under contract, one instance for the whole class. */
  protected abstract SpeechEngine engine();

  /** The voice to speak with: one that reads English. */
  protected Voice voice() {
    return engine().voices().getFirst();
  }

  /**
   * Starts watching what calls from now on run besides the caller's thread (threads, processes,
   * HTTP requests) until closed.
   */
  protected abstract CallWatch watchCalls();

  /** What an engine runs for a call besides the caller's thread. */
  protected interface CallWatch extends AutoCloseable {

    /**
     * Whether a call is under way now. May stall it there (a held answer, a stopped process), so
     * that an interrupt lands while the engine speaks however fast it is.
     */
    boolean underway();

    /** Asserts that everything the calls started has ended. */
    void assertAllEnded();

    /** Lets anything stalled go. */
    @Override
    void close();
  }

  /**
   * The watch for an engine behind a {@link FakeHttpServer}: the server holds its answers while
   * watched (a service taking its time), a call is under way once its request has arrived, and an
   * interrupted call must stop waiting at once and send no further request (no retry).
   */
  protected static CallWatch answersHeldBy(FakeHttpServer server) {
    int before = server.requestCount();
    FakeHttpServer.Held held = server.holdAnswers();
    return new CallWatch() {
      @Override
      public boolean underway() {
        return server.requestCount() > before;
      }

      @Override
      public void assertAllEnded() {
        assertThat(server.requestCount() - before)
            .as("requests for one interrupted call")
            .isLessThanOrEqualTo(1);
      }

      @Override
      public void close() {
        held.close();
      }
    };
  }

  @Test
  void lists_voices_named_engine_colon_name_with_well_formed_languages_and_sample_rates() {
    SpeechEngine engine = engine();
    List<Voice> voices = engine.voices();

    assertThat(voices).isNotEmpty();
    assertThat(voices)
        .allSatisfy(
            v -> {
              assertThat(v.id()).isEqualTo(engine.id() + ":" + v.name());
              assertThat(v.engine()).isEqualTo(engine.id());
              assertThat(LanguageTags.isWellFormed(v.language())).as(v.language()).isTrue();
              assertThat(v.sampleRate()).isPositive();
            });
    assertThat(voices.stream().map(Voice::id)).doesNotHaveDuplicates();
  }

  @Test
  void has_a_version_that_is_not_blank_and_the_same_on_every_call() {
    String version = engine().version();

    assertThat(version).isNotBlank();
    assertThat(engine().version()).isEqualTo(version);
  }

  @Test
  void speaks_a_short_sentence_as_audible_pcm_of_plausible_length_at_the_voices_rate() {
    Pcm pcm = speak(SENTENCE, SpeechSettings.NORMAL);

    assertThat(pcm.sampleRate()).isEqualTo(voice().sampleRate());
    assertThat(pcm.durationSeconds()).isBetween(0.3, 10.0);
    assertThat(PcmAnalysis.rms(pcm)).isGreaterThan(AUDIBLE_RMS);
  }

  @Test
  void speed_two_halves_the_speech_and_speed_one_half_doubles_it() {
    // measured on the speech: the pause after a sentence is the engine's own (espeak-ng's is 0.30 s
    // at normal speed, 0.03 s at double and 0.84 s at half)
    double normal = PcmAnalysis.speechSeconds(speak(SENTENCE, SpeechSettings.NORMAL));
    double fast = PcmAnalysis.speechSeconds(speak(SENTENCE, new SpeechSettings(2.0, 0)));
    double slow = PcmAnalysis.speechSeconds(speak(SENTENCE, new SpeechSettings(0.5, 0)));

    assertThat(fast / normal).isBetween(0.5 - 0.5 * RATIO_TOLERANCE, 0.5 + 0.5 * RATIO_TOLERANCE);
    assertThat(slow / normal).isBetween(2.0 - 2.0 * RATIO_TOLERANCE, 2.0 + 2.0 * RATIO_TOLERANCE);
  }

  @Test
  void pitch_up_six_semitones_raises_the_fundamental_and_keeps_the_duration() {
    Pcm normal = speak(SENTENCE, SpeechSettings.NORMAL);
    Pcm higher = speak(SENTENCE, new SpeechSettings(1.0, 6));

    // six semitones is a factor 1.41; 1.25 is a clear four, and the estimate is good to a semitone
    assertThat(PcmAnalysis.medianF0(higher) / PcmAnalysis.medianF0(normal)).isBetween(1.25, 1.6);
    assertThat(higher.durationSeconds() / normal.durationSeconds())
        .isBetween(1 - RATIO_TOLERANCE, 1 + RATIO_TOLERANCE);
  }

  @Test
  void empty_and_blank_text_give_empty_pcm_at_the_voices_rate() {
    for (String nothing : List.of("", " ", " \n\t ")) {
      Pcm pcm = engine().synthesize(nothing, voice(), SpeechSettings.NORMAL);

      assertThat(pcm.sampleCount())
          .as("samples for %d blank characters", nothing.length())
          .isZero();
      assertThat(pcm.sampleRate()).isEqualTo(voice().sampleRate());
    }
  }

  @Test
  void the_longest_input_it_takes_is_spoken_in_full() {
    int length = Math.min(engine().maxInputCharacters(), 2000);
    String text = textOf(length);

    Pcm pcm = engine().synthesize(text, voice(), SpeechSettings.NORMAL);

    // seconds per character of the long text against the short sentence's: speech keeps its pace
    double perCharacter = pcm.durationSeconds() / length;
    double sentencePerCharacter =
        speak(SENTENCE, SpeechSettings.NORMAL).durationSeconds() / SENTENCE.length();
    assertThat(perCharacter / sentencePerCharacter).isBetween(0.5, 2.0);
    assertThat(PcmAnalysis.rms(pcm)).isGreaterThan(AUDIBLE_RMS);
  }

  @Test
  void four_calls_at_once_each_get_the_audio_of_their_own_text() throws Exception {
    List<String> texts =
        List.of(
            "One small step.",
            "The rain in Spain stays mainly in the plain.",
            "Good morning, how are you today?",
            "Numbers like forty two are spoken too, one by one.");
    Map<String, Pcm> alone = new ConcurrentHashMap<>();
    for (String text : texts) {
      alone.put(text, speak(text, SpeechSettings.NORMAL));
    }
    Map<String, Pcm> together = new ConcurrentHashMap<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> callers =
        texts.stream()
            .map(
                text ->
                    Thread.ofPlatform()
                        .start(
                            () -> {
                              try {
                                start.await();
                                together.put(
                                    text,
                                    engine().synthesize(text, voice(), SpeechSettings.NORMAL));
                              } catch (Throwable e) {
                                failures.add(e);
                              }
                            }))
            .toList();
    start.countDown();
    for (Thread caller : callers) {
      caller.join();
    }

    assertThat(failures).isEmpty();
    for (String text : texts) {
      assertThat(together.get(text).samples())
          .as("'%s' spoken beside three other calls, against alone", text)
          .isEqualTo(alone.get(text).samples());
    }
  }

  @Test
  void a_call_interrupted_while_it_speaks_ends_promptly_keeping_the_interrupt() {
    SpeechEngine engine = engine(); // started before watching: what it starts with is its own
    try (CallWatch watch = watchCalls()) {
      Call call = Call.start(engine, voice(), textOf(300));

      await()
          .pollInterval(Duration.ofMillis(5))
          .atMost(Duration.ofSeconds(30))
          .until(() -> watch.underway() || call.ended());
      call.interrupt();

      call.assertEndsPromptlyWithAudioOrSynthesisException();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(watch::assertAllEnded);
    }
  }

  @Test
  void a_call_made_with_the_interrupt_already_set_ends_promptly_keeping_the_interrupt() {
    // as when shutdownNow() interrupts a pool thread just as it takes the next chunk
    SpeechEngine engine = engine();
    try (CallWatch watch = watchCalls()) {
      Call call = Call.startInterrupted(engine, voice(), textOf(300));

      call.assertEndsPromptlyWithAudioOrSynthesisException();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(watch::assertAllEnded);
    }
  }

  @Test
  void refuses_a_voice_of_another_engine_or_one_it_does_not_have() {
    Voice mine = voice();
    String other = engine().id().equals("mary") ? "espeak" : "mary";
    Voice ofAnotherEngine =
        Voice.of(other, mine.name(), mine.language(), mine.gender(), mine.sampleRate());
    Voice unknown =
        Voice.of(engine().id(), "no-such-voice", mine.language(), mine.gender(), mine.sampleRate());

    for (Voice voice : List.of(ofAnotherEngine, unknown)) {
      assertThatThrownBy(() -> engine().synthesize(SENTENCE, voice, SpeechSettings.NORMAL))
          .isInstanceOf(SynthesisException.class)
          .hasMessageContaining(voice.id());
    }
  }

  /** {@code text} spoken with {@link #voice()}, once per class for each text and settings. */
  protected Pcm speak(String text, SpeechSettings settings) {
    return spoken.computeIfAbsent(
        settings + text, key -> engine().synthesize(text, voice(), settings));
  }

  /** English prose of exactly {@code length} characters, ending at a full stop. */
  protected static String textOf(int length) {
    String prose =
        "The quick brown fox jumps over the lazy dog. A long text is split into chunks before it"
            + " reaches an engine, and each chunk is spoken in full. ";
    String text = prose.repeat(length / prose.length() + 1).substring(0, length - 1);
    return text.stripTrailing() + ".".repeat(length - text.stripTrailing().length());
  }

  /** One synthesis on a platform thread of its own, as the synthesis pool runs them. */
  private static final class Call {
    private final Thread thread;
    private final AtomicReference<Object> outcome = new AtomicReference<>();
    private final AtomicBoolean interruptKept = new AtomicBoolean();

    private Call(SpeechEngine engine, Voice voice, String text, boolean interrupted) {
      thread =
          Thread.ofPlatform()
              .start(
                  () -> {
                    if (interrupted) {
                      Thread.currentThread().interrupt();
                    }
                    try {
                      outcome.set(engine.synthesize(text, voice, SpeechSettings.NORMAL));
                    } catch (RuntimeException e) {
                      outcome.set(e);
                    }
                    interruptKept.set(Thread.currentThread().isInterrupted());
                  });
    }

    static Call start(SpeechEngine engine, Voice voice, String text) {
      return new Call(engine, voice, text, false);
    }

    static Call startInterrupted(SpeechEngine engine, Voice voice, String text) {
      return new Call(engine, voice, text, true);
    }

    boolean ended() {
      return !thread.isAlive();
    }

    void interrupt() {
      thread.interrupt();
    }

    void assertEndsPromptlyWithAudioOrSynthesisException() {
      await().atMost(PROMPTLY).until(this::ended);
      assertThat(outcome.get()).isInstanceOfAny(Pcm.class, SynthesisException.class);
      if (outcome.get() instanceof Pcm pcm) {
        assertThat(pcm.sampleCount()).as("audio of an interrupted call").isPositive();
      } else {
        // an engine stops only for an interrupt, which the caller's pool must still see
        assertThat(interruptKept).as("interrupt status after the SynthesisException").isTrue();
      }
    }
  }
}
