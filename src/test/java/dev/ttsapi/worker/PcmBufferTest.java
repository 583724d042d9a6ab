package dev.ttsapi.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A job's PCM reads back exactly as written, whether it stayed in memory or went to a file. */
class PcmBufferTest {

  @Test
  void short_pcm_stays_in_memory_and_reads_back_whole() throws Exception {
    byte[] pcm = random(40_000);
    try (PcmBuffer buffer = new PcmBuffer("pcm-buffer-test", 64 * 1024)) {
      buffer.write(pcm, 0, 30_000);
      buffer.write(pcm, 30_000, 10_000);

      assertThat(buffer.spilled()).isFalse();
      assertThat(buffer.size()).isEqualTo(pcm.length);
      try (InputStream in = buffer.read()) {
        assertThat(in.readAllBytes()).isEqualTo(pcm);
      }
    }
  }

  @Test
  void long_pcm_goes_to_a_file_reads_back_whole_and_the_file_is_deleted() throws Exception {
    byte[] pcm = random(300_000);
    String prefix = "pcm-buffer-test-" + System.nanoTime();
    try (PcmBuffer buffer = new PcmBuffer(prefix, 64 * 1024)) {
      for (int at = 0; at < pcm.length; at += 25_000) {
        buffer.write(pcm, at, Math.min(25_000, pcm.length - at));
      }

      assertThat(buffer.spilled()).isTrue();
      assertThat(buffer.size()).isEqualTo(pcm.length);
      assertThat(tempFiles(prefix)).isEqualTo(1);
      for (int read = 0; read < 2; read++) { // a store may ask for the bytes again
        try (InputStream in = buffer.read()) {
          assertThat(in.readAllBytes()).isEqualTo(pcm);
        }
      }
    }
    assertThat(tempFiles(prefix)).isZero();
  }

  private static byte[] random(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return bytes;
  }

  private static long tempFiles(String prefix) throws Exception {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(f -> f.getFileName().toString().startsWith(prefix)).count();
    }
  }
}
