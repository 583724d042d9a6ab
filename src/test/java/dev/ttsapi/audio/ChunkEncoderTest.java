package dev.ttsapi.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkEncoderTest {

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(ints = {22050, 48000})
  void wav_decodes_with_java_sound_and_sox_to_the_same_samples(int rate) throws Exception {
    Pcm pcm = PcmAnalysis.syntheticVoice(1.5, rate, 150);
    Path file = encode(pcm, AudioFormat.WAV);

    try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
      assertThat(in.getFormat().getSampleRate()).isEqualTo(rate);
      assertThat(in.getFormat().getChannels()).isEqualTo(1);
      assertThat(in.getFormat().getSampleSizeInBits()).isEqualTo(16);
      assertThat(in.getFormat().isBigEndian()).isFalse();
      assertThat(in.getFrameLength()).isEqualTo(pcm.sampleCount());
      assertThat(readAll(in)).isEqualTo(pcm.samples());
    }
    assertThat(WavDecoder.decode(Files.readAllBytes(file)).samples()).isEqualTo(pcm.samples());
    if (Sox.installed()) {
      assertThat(Sox.duration(file)).isCloseTo(pcm.durationSeconds(), within(0.001));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {22050, 48000})
  void mp3_frames_add_up_to_the_pcm_duration(int rate) throws Exception {
    Pcm pcm = PcmAnalysis.syntheticVoice(3.0, rate, 150);
    Path file = encode(pcm, AudioFormat.MP3);

    Mp3Frames frames = Mp3Frames.parse(Files.readAllBytes(file));
    assertThat(frames.sampleRate()).isEqualTo(rate);
    // encoder delay and the partial last frame add some tens of milliseconds
    assertThat(frames.durationSeconds()).isCloseTo(pcm.durationSeconds(), within(0.15));
    assertThat(Files.size(file)).isBetween(3L * 64_000 / 8 / 2, 3L * 64_000 / 8 * 2);
  }

  @ParameterizedTest
  @ValueSource(ints = {22050, 48000})
  void mp3_is_accepted_by_sox_with_matching_duration(int rate) throws Exception {
    Assumptions.assumeTrue(
        Sox.reads("mp3"), "sox with MP3 support (libsox-fmt-mp3) is not installed");
    Pcm pcm = PcmAnalysis.syntheticVoice(3.0, rate, 150);
    Path file = encode(pcm, AudioFormat.MP3);

    assertThat(Sox.sampleRate(file)).isEqualTo(rate);
    assertThat(Sox.duration(file)).isCloseTo(pcm.durationSeconds(), within(0.15));
  }

  @Test
  void mp3_encodes_in_blocks_from_a_stream_that_delivers_a_few_bytes_at_a_time() throws Exception {
    Pcm pcm = PcmAnalysis.syntheticVoice(1.0, 22050, 150);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream trickle = new TrickleInputStream(pcm.samples(), 333);

    ChunkEncoder.encode(AudioFormat.MP3, trickle, pcm.samples().length, pcm.sampleRate(), out);

    assertThat(out.size()).isGreaterThan(4000);
    assertThat(out.toByteArray()[0] & 0xFF).isEqualTo(0xFF); // MPEG frame sync
  }

  @Test
  void wav_header_announces_the_pcm_length() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    ChunkEncoder.encode(
        AudioFormat.WAV, new ByteArrayInputStream(new byte[1000]), 1000, 16000, out);

    assertThat(out.size()).isEqualTo(1044);
  }

  @Test
  void short_pcm_stream_is_an_error_not_a_truncated_file() {
    assertThatThrownBy(
            () ->
                ChunkEncoder.encode(
                    AudioFormat.WAV,
                    new ByteArrayInputStream(new byte[100]),
                    200,
                    16000,
                    OutputStream.nullOutputStream()))
        .isInstanceOf(EOFException.class);
    assertThatThrownBy(
            () ->
                ChunkEncoder.encode(
                    AudioFormat.MP3,
                    new ByteArrayInputStream(new byte[100]),
                    20000,
                    16000,
                    OutputStream.nullOutputStream()))
        .isInstanceOf(EOFException.class);
  }

  private Path encode(Pcm pcm, AudioFormat format) throws IOException {
    Path file = dir.resolve("out." + format.extension());
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

  private static byte[] readAll(AudioInputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    for (int n; (n = in.read(buffer)) != -1; ) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  /** Returns at most {@code step} bytes per read, like a slow network stream. */
  private static final class TrickleInputStream extends ByteArrayInputStream {
    private final int step;

    TrickleInputStream(byte[] data, int step) {
      super(data);
      this.step = step;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
      return super.read(b, off, Math.min(len, step));
    }
  }
}
