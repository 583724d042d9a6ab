package dev.ttsapi.engine.mary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.audio.ChunkEncoder;
import dev.ttsapi.audio.Pcm;
import dev.ttsapi.audio.PcmAnalysis;
import dev.ttsapi.audio.Sox;
import dev.ttsapi.engine.Gender;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.SynthesisException;
import dev.ttsapi.engine.Voice;
import dev.ttsapi.support.EngineThreads;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaryEngineTest {

  private static final String TEXT = "Hello world, this is a test.";

  private static MaryEngine mary;
  private static Voice slt;
  private static Pcm normal;

  @TempDir Path dir;

  @BeforeAll
  static void speakOnce() {
    mary = SharedMaryEngine.get();
    slt = mary.voices().getFirst();
    normal = mary.synthesize(TEXT, slt, SpeechSettings.NORMAL);
  }

  @Test
  void offers_the_slt_voice_as_us_english_female_at_48_khz_reading_latin_letters() {
    assertThat(mary.id()).isEqualTo("mary");
    assertThat(mary.version()).startsWith("marytts-5.2.1");
    assertThat(mary.voices())
        .containsExactly(
            Voice.of("mary", "cmu-slt-hsmm", "en-US", Gender.FEMALE, 48000)
                .readingOnly(Set.of(Character.UnicodeScript.LATIN)));
  }

  @Test
  void synthesizes_a_sentence_to_audible_pcm_of_plausible_length() {
    assertThat(normal.sampleRate()).isEqualTo(48000);
    assertThat(normal.durationSeconds()).isBetween(1.0, 5.0);
    assertThat(PcmAnalysis.peak(normal)).isGreaterThan((short) 3000);
    assertThat(PcmAnalysis.rms(normal)).isGreaterThan(300);
  }

  @Test
  void speed_two_halves_duration() {
    Pcm fast = mary.synthesize(TEXT, slt, new SpeechSettings(2.0, 0));

    assertThat(fast.durationSeconds()).isLessThan(0.7 * normal.durationSeconds());
    assertThat(fast.durationSeconds()).isCloseTo(normal.durationSeconds() / 2, within(0.05));
  }

  @Test
  void pitch_up_six_semitones_raises_the_fundamental() {
    Pcm higher = mary.synthesize(TEXT, slt, new SpeechSettings(1.0, 6));

    double before = PcmAnalysis.medianF0(normal);
    double after = PcmAnalysis.medianF0(higher);
    assertThat(after).isGreaterThan(before * 1.25);
    assertThat(higher.durationSeconds()).isCloseTo(normal.durationSeconds(), within(0.05));
  }

  @Test
  void blank_text_gives_empty_audio() {
    assertThat(mary.synthesize("  ", slt, SpeechSettings.NORMAL).sampleCount()).isZero();
  }

  @Test
  void refuses_a_voice_it_does_not_have() {
    Voice bdl = Voice.of("mary", "cmu-bdl-hsmm", "en-US", Gender.MALE, 48000);

    assertThatThrownBy(() -> mary.synthesize(TEXT, bdl, SpeechSettings.NORMAL))
        .isInstanceOf(SynthesisException.class)
        .hasMessageContaining("mary:cmu-bdl-hsmm");
  }

  @Test
  void calls_from_several_threads_at_once_all_succeed() throws Exception {
    List<Thread> threads =
        Stream.of(1.0, 1.5, 0.8, 2.0)
            .map(
                speed ->
                    Thread.ofPlatform()
                        .unstarted(
                            () ->
                                assertThat(
                                        mary.synthesize(
                                                "Parallel speech works.",
                                                slt,
                                                new SpeechSettings(speed, 0))
                                            .durationSeconds())
                                    .isGreaterThan(0.3)))
            .toList();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    threads.forEach(t -> t.setUncaughtExceptionHandler((th, e) -> failures.add(e)));
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void an_interrupted_synthesis_leaves_none_of_maryttss_own_threads_behind() throws Exception {
    Set<Thread> before = EngineThreads.maryVocoders();
    AtomicBoolean stillInterrupted = new AtomicBoolean();
    Thread caller =
        Thread.ofPlatform()
            .start(
                () -> {
                  // As shutdownNow() or a cancel(true) would, while MaryTTS is speaking.
                  Thread.currentThread().interrupt();
                  try {
                    mary.synthesize(
                        "An interrupted call. It has a few sentences. Each is vocoded apart.",
                        slt,
                        SpeechSettings.NORMAL);
                  } catch (SynthesisException expected) {
                    // stopping is allowed; leaving MaryTTS's threads parked is not
                  }
                  stillInterrupted.set(Thread.currentThread().isInterrupted());
                });
    caller.join();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(EngineThreads.maryVocoders()).isSubsetOf(before));
    assertThat(stillInterrupted).as("the caller's interrupt is kept").isTrue();
  }

  @Test
  void wav_and_mp3_of_mary_speech_are_valid_with_the_pcm_duration() throws Exception {
    Path wav = encode(normal, AudioFormat.WAV);
    Path mp3 = encode(normal, AudioFormat.MP3);

    try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
      assertThat(in.getFormat().getSampleRate()).isEqualTo(48000);
      assertThat(in.getFrameLength()).isEqualTo(normal.sampleCount());
    }
    Assumptions.assumeTrue(Sox.installed(), "sox is not installed");
    assertThat(Sox.duration(wav)).isCloseTo(normal.durationSeconds(), within(0.001));
    Assumptions.assumeTrue(Sox.reads("mp3"), "sox cannot read MP3 (libsox-fmt-mp3)");
    assertThat(Sox.duration(mp3)).isCloseTo(normal.durationSeconds(), within(0.15));
  }

  @Test
  void writes_no_files_into_the_working_directory(@TempDir Path cwd) throws Exception {
    // a fresh JVM, because MaryTTS configures its logging only once per JVM
    Process probe =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                MaryLogProbe.class.getName())
            .directory(cwd.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(probe.exitValue()).as(output).isZero();
    assertThat(output).contains("samples=");
    try (Stream<Path> files = Files.list(cwd)) {
      assertThat(files).as("files MaryTTS left in its working directory").isEmpty();
    }
  }

  private Path encode(Pcm pcm, AudioFormat format) throws IOException {
    Path file = dir.resolve("mary." + format.extension());
    try (OutputStream out = Files.newOutputStream(file)) {
      ChunkEncoder.encode(
          format,
          new ByteArrayInputStream(pcm.samples()),
          pcm.samples().length,
          pcm.sampleRate(),
          out);
    }
    return file;
  }
}
