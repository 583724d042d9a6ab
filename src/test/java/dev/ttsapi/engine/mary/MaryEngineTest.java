package dev.ttsapi.engine.mary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.audio.ChunkEncoder;
import dev.ttsapi.audio.Pcm;
import dev.ttsapi.audio.Sox;
import dev.ttsapi.engine.Gender;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.Voice;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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

  @Test
  void phonemes_replace_what_the_lexicon_would_say() {
    Pcm hello = mary.synthesize("hello", slt, SpeechSettings.NORMAL);
    Pcm asHello = mary.synthesizePhonemes("h @ - ' l @U", "xyzzy", slt, SpeechSettings.NORMAL);
    Pcm xyzzy = mary.synthesize("xyzzy", slt, SpeechSettings.NORMAL);

    assertThat(asHello.durationSeconds()).isCloseTo(hello.durationSeconds(), within(0.1));
    assertThat(Math.abs(xyzzy.durationSeconds() - hello.durationSeconds())).isGreaterThan(0.15);
  }
}
