package dev.ttsapi.engine.espeak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.engine.PhonemeMarkup;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.SynthesisException;
import dev.ttsapi.engine.TimedPcm;
import dev.ttsapi.engine.Voice;
import dev.ttsapi.engine.WordTiming;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** espeak-ng through libespeak-ng; skipped where espeak-ng and its library are not installed. */
class EspeakLibraryTest {

  private static final String SENTENCES =
      "Hello world, this is a test. The rain in Spain stays mainly in the plain.";

  private static final int RATE = 22050;

  private static EspeakEngine library;
  private static EspeakEngine process;

  @BeforeAll
  static void load() {
    Path binary = EspeakEngine.findOnPath().orElse(null);
    Assumptions.assumeTrue(
        binary != null && Files.isReadable(LibespeakPool.DEFAULT_LIBRARY),
        "espeak-ng and libespeak-ng are not installed");
    library =
        EspeakEngine.throughLibrary(
            binary, LibespeakPool.DEFAULT_LIBRARY, EspeakEngine.DEFAULT_TIMEOUT, 8);
    process = new EspeakEngine(binary, EspeakEngine.DEFAULT_TIMEOUT);
  }

  @AfterAll
  static void unload() {
    if (library != null) {
      library.close();
    }
  }

  @Test
  void lists_the_voices_and_version_the_espeak_ng_program_lists() {
    assertThat(library.throughLibrary()).isTrue();
    assertThat(library.version()).isEqualTo(process.version());
    assertThat(library.voices()).isEqualTo(process.voices());
  }

  @Test
  void speaks_the_samples_the_espeak_ng_program_speaks() {
    for (String[] case_ :
        List.of(
            new String[] {"en-us", SENTENCES},
            new String[] {"vi", "Xin chào, tôi là người Việt Nam."},
            new String[] {"en-gb", "Numbers like 42 and 1999 are read out."})) {
      Voice voice = voice(case_[0]);
      for (SpeechSettings settings :
          List.of(SpeechSettings.NORMAL, new SpeechSettings(1.5, 3), new SpeechSettings(4, 12))) {
        assertThat(library.synthesize(case_[1], voice, settings).samples())
            .as("%s at %s", case_[0], settings)
            .isEqualTo(process.synthesize(case_[1], voice, settings).samples());
      }
    }
  }

  @Test
  void the_same_text_gives_the_same_samples_every_time_one_after_another_and_at_once()
      throws Exception {
    Voice voice = voice("en-us");
    byte[] first = library.synthesize(SENTENCES, voice, SpeechSettings.NORMAL).samples();
    List<String> others = List.of("Something else entirely.", "Xin chào các bạn.", "Quiet.");
    for (int i = 0; i < 50; i++) {
      // whatever a copy spoke before, it starts the next text afresh
      library.synthesize(others.get(i % others.size()), voice, SpeechSettings.NORMAL);
      assertThat(library.synthesize(SENTENCES, voice, SpeechSettings.NORMAL).samples())
          .as("synthesis %d", i)
          .isEqualTo(first);
    }
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      List<Future<byte[]>> together = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        String text = i % 2 == 0 ? SENTENCES : others.get(i % others.size());
        together.add(
            callers.submit(() -> library.synthesize(text, voice, SpeechSettings.NORMAL).samples()));
      }
      for (int i = 0; i < 50; i += 2) {
        assertThat(together.get(i).get(60, TimeUnit.SECONDS))
            .as("synthesis %d beside others", i)
            .isEqualTo(first);
      }
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void word_timings_name_each_word_in_order_and_leave_the_silences_between_them() {
    TimedPcm timed = library.synthesizeTimed(SENTENCES, voice("en-us"), SpeechSettings.NORMAL);

    assertThat(timed.measured()).isTrue();
    assertThat(wordsOf(SENTENCES, timed.words()))
        .containsExactly(
            "Hello", "world", "this", "is", "a", "test", "The", "rain", "in", "Spain", "stays",
            "mainly", "in the", "plain"); // "in the": one word to espeak-ng (its dictionary)
    assertInOrderWithinTheAudio(timed);
    List<int[]> silences = silences(timed.pcm(), 0.1);
    // after "world," and after "test." at least, and each silence in a gap between words
    assertThat(silences).hasSizeGreaterThanOrEqualTo(2);
    // 20 ms: a word's last sound fading out, a soft first sound ("this") rising out of silence
    int tolerance = RATE / 50;
    for (int[] silence : silences) {
      for (WordTiming word : timed.words()) {
        assertThat(
                word.endSample() <= silence[0] + tolerance
                    || word.startSample() >= silence[1] - tolerance)
            .as(
                "silence %d..%d against '%s' %d..%d",
                silence[0],
                silence[1],
                SENTENCES.substring(word.charStart(), word.charEnd()),
                word.startSample(),
                word.endSample())
            .isTrue();
      }
    }
    // and the words are heard: none of them is silent
    for (WordTiming word : timed.words()) {
      assertThat(rms(timed.pcm(), word.startSample(), word.endSample())).isGreaterThan(300);
    }
  }

  @Test
  void a_speed_change_scales_the_timings_with_the_audio() {
    Voice voice = voice("en-us");
    // 450 words per minute is espeak-ng's fastest; speed 4 takes the rest on the PCM
    TimedPcm fastest =
        library.synthesizeTimed(SENTENCES, voice, new SpeechSettings(450 / 175.0, 0));
    TimedPcm faster = library.synthesizeTimed(SENTENCES, voice, new SpeechSettings(4, 0));
    TimedPcm normal = library.synthesizeTimed(SENTENCES, voice, SpeechSettings.NORMAL);

    double ratio = (double) faster.pcm().sampleCount() / fastest.pcm().sampleCount();
    assertThat(ratio).isCloseTo(450 / 175.0 / 4, within(0.05));
    assertThat(faster.words()).hasSameSizeAs(fastest.words());
    for (int i = 0; i < faster.words().size(); i++) {
      assertThat(faster.words().get(i).startSample())
          .isCloseTo((int) Math.round(fastest.words().get(i).startSample() * ratio), within(2));
      assertThat(faster.words().get(i).charStart()).isEqualTo(fastest.words().get(i).charStart());
    }
    assertInOrderWithinTheAudio(faster);
    // espeak-ng's own rate: the same words, each starting earlier than at normal speed
    assertThat(wordsOf(SENTENCES, fastest.words())).isEqualTo(wordsOf(SENTENCES, normal.words()));
    assertThat(fastest.words().getLast().startSample())
        .isLessThan(normal.words().getLast().startSample() / 2);
  }

  @Test
  void vietnamese_words_keep_their_character_offsets_composed_or_not() {
    String text = "Xin chào các bạn, tôi là người Việt Nam.";
    List<String> expected =
        List.of("Xin", "chào", "các", "bạn", "tôi", "là", "người", "Việt", "Nam");
    for (String form : List.of(text, Normalizer.normalize(text, Normalizer.Form.NFD))) {
      TimedPcm timed = library.synthesizeTimed(form, voice("vi"), SpeechSettings.NORMAL);

      assertThat(
              wordsOf(form, timed.words()).stream()
                  .map(w -> Normalizer.normalize(w, Normalizer.Form.NFC))
                  .toList())
          .containsExactlyElementsOf(expected);
      assertInOrderWithinTheAudio(timed);
    }
  }

  @Test
  void characters_beyond_the_basic_plane_and_lexicon_pronunciations_keep_the_offsets_after_them() {
    String text = "I said 🍕 " + PhonemeMarkup.wrap("t@m'A:toU") + " [[twice]] and then pizza.";
    TimedPcm timed = library.synthesizeTimed(text, voice("en-us"), SpeechSettings.NORMAL);
    List<String> words = wordsOf(text, timed.words());

    assertThat(words)
        .contains("I", "said", PhonemeMarkup.wrap("t@m'A:toU"), "and", "then", "pizza");
    assertInOrderWithinTheAudio(timed);
  }

  @Test
  void many_calls_at_once_with_interrupts_among_them_all_finish_and_leave_nothing_running()
      throws Exception {
    Voice voice = voice("en-us");
    String longText = "This sentence keeps going for a while, as long texts do. ".repeat(40);
    Map<String, byte[]> alone = new ConcurrentHashMap<>();
    List<String> texts = List.of(SENTENCES, "Good morning, how are you today?", "One small step.");
    for (String text : texts) {
      alone.put(text, library.synthesize(text, voice, SpeechSettings.NORMAL).samples());
    }
    List<Throwable> wrong = new CopyOnWriteArrayList<>();
    AtomicInteger interruptedEnds = new AtomicInteger();
    ExecutorService callers = Executors.newFixedThreadPool(8);
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int n = i;
      calls.add(
          callers.submit(
              () -> {
                if (n % 5 == 0) {
                  // interrupted before or while it speaks: audio or a SynthesisException, and
                  // the interrupt still set
                  Thread caller = Thread.currentThread();
                  Thread interrupter = Thread.ofVirtual().start(() -> caller.interrupt());
                  try {
                    library.synthesize(longText, voice, SpeechSettings.NORMAL);
                  } catch (SynthesisException e) {
                    interruptedEnds.incrementAndGet();
                  } catch (RuntimeException e) {
                    wrong.add(e);
                  }
                  try {
                    interrupter.join();
                  } catch (InterruptedException e) {
                    // the interrupt meant for the synthesis, landed after it
                  }
                  Thread.interrupted(); // the pool thread goes on clean
                  return;
                }
                String text = texts.get(n % texts.size());
                try {
                  byte[] samples = library.synthesize(text, voice, SpeechSettings.NORMAL).samples();
                  if (!Arrays.equals(samples, alone.get(text))) {
                    wrong.add(new AssertionError("call " + n + " spoke other samples"));
                  }
                } catch (RuntimeException e) {
                  wrong.add(e);
                }
              }));
    }
    callers.shutdown();
    assertThat(callers.awaitTermination(120, TimeUnit.SECONDS)).as("all 200 finished").isTrue();
    for (Future<?> call : calls) {
      call.get();
    }

    assertThat(wrong).isEmpty();
    assertThat(interruptedEnds.get()).as("interrupted calls that stopped").isPositive();
    // the copies used last are loaded afresh in the background, then nothing runs any more
    await().atMost(Duration.ofSeconds(30)).until(() -> library.librarySynthesesUnderway() == 0);
    assertThat(library.synthesize(SENTENCES, voice, SpeechSettings.NORMAL).samples())
        .isEqualTo(alone.get(SENTENCES));
  }

  @Test
  void a_call_past_its_timeout_is_stopped() {
    try (EspeakEngine impatient =
        EspeakEngine.throughLibrary(
            EspeakEngine.findOnPath().orElseThrow(),
            LibespeakPool.DEFAULT_LIBRARY,
            Duration.ofMillis(50),
            1)) {
      String longText = "This sentence is rather long and keeps going. ".repeat(400);

      assertThatThrownBy(
              () -> impatient.synthesize(longText, voice("en-us"), SpeechSettings.NORMAL))
          .isInstanceOf(SynthesisException.class)
          .hasMessageContaining("longer than");
      // its one copy, loaded afresh in the background, speaks again
      await().atMost(Duration.ofSeconds(30)).until(() -> impatient.librarySynthesesUnderway() == 0);
      assertThat(
              impatient
                  .synthesize("Still here.", voice("en-us"), SpeechSettings.NORMAL)
                  .sampleCount())
          .isPositive();
    }
  }

  @Test
  void without_the_library_it_says_why_and_the_process_speaks_untimed(@TempDir Path dir)
      throws IOException {
    Path notALibrary = Files.writeString(dir.resolve("libespeak-ng.so.1"), "not ELF");
    Path binary = EspeakEngine.findOnPath().orElseThrow();

    assertThatThrownBy(
            () -> EspeakEngine.throughLibrary(binary, notALibrary, Duration.ofSeconds(5), 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(notALibrary.toString());
    assertThatThrownBy(
            () ->
                EspeakEngine.throughLibrary(
                    binary, dir.resolve("missing.so"), Duration.ofSeconds(5), 1))
        .isInstanceOf(IllegalStateException.class);
    EspeakEngine fallback = EspeakEngine.detect(Duration.ofSeconds(60), false).orElseThrow();
    TimedPcm timed = fallback.synthesizeTimed(SENTENCES, voice("en-us"), SpeechSettings.NORMAL);
    assertThat(fallback.throughLibrary()).isFalse();
    assertThat(timed.measured()).isFalse();
    assertThat(timed.pcm().sampleCount()).isPositive();
  }

  /** The text of each timing. */
  private static List<String> wordsOf(String text, List<WordTiming> words) {
    return words.stream().map(w -> text.substring(w.charStart(), w.charEnd())).toList();
  }

  private static void assertInOrderWithinTheAudio(TimedPcm timed) {
    int lastStart = -1;
    int lastCharEnd = 0;
    for (WordTiming word : timed.words()) {
      assertThat(word.startSample()).isGreaterThan(lastStart);
      assertThat(word.charStart()).isGreaterThanOrEqualTo(lastCharEnd);
      assertThat(word.endSample()).isLessThanOrEqualTo(timed.pcm().sampleCount());
      lastStart = word.startSample();
      lastCharEnd = word.charEnd();
    }
  }

  /** Stretches of at least {@code seconds} whose 10 ms frames are all quieter than −50 dBFS. */
  private static List<int[]> silences(Pcm pcm, double seconds) {
    int frame = RATE / 100;
    int minFrames = (int) Math.round(seconds * 100);
    List<int[]> found = new ArrayList<>();
    int runStart = -1;
    int frames = pcm.sampleCount() / frame;
    for (int f = 0; f <= frames; f++) {
      boolean silent = f < frames && rms(pcm, f * frame, (f + 1) * frame) < 100;
      if (silent && runStart < 0) {
        runStart = f;
      } else if (!silent && runStart >= 0) {
        if (f - runStart >= minFrames) {
          found.add(new int[] {runStart * frame, f * frame});
        }
        runStart = -1;
      }
    }
    return found;
  }

  private static double rms(Pcm pcm, int from, int to) {
    byte[] b = pcm.samples();
    double sum = 0;
    for (int i = from; i < to; i++) {
      short s = (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8));
      sum += (double) s * s;
    }
    return to > from ? Math.sqrt(sum / (to - from)) : 0;
  }

  private static Voice voice(String name) {
    return library.voices().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
  }
}
