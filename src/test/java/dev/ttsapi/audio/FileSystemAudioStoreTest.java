package dev.ttsapi.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileSystemAudioStoreTest {

  @TempDir Path root;

  private static final String KEY = sha256("hello");

  @Test
  void put_then_find_returns_the_bytes_under_a_sharded_path() throws IOException {
    FileSystemAudioStore store = new FileSystemAudioStore(root);

    StoredAudio put = store.put(KEY, AudioFormat.MP3, out -> out.write(bytes("audio")));

    assertThat(put.size()).isEqualTo(5);
    assertThat(put.format()).isEqualTo(AudioFormat.MP3);
    assertThat(root.resolve(KEY.substring(0, 2)).resolve(KEY.substring(2, 4)).resolve(KEY + ".mp3"))
        .hasContent("audio");
    StoredAudio found = store.find(KEY).orElseThrow();
    assertThat(found.size()).isEqualTo(5);
    assertThat(found.format()).isEqualTo(AudioFormat.MP3);
    assertThat(found.resource().contentLength()).isEqualTo(5);
    try (InputStream in = found.open()) {
      assertThat(in.readAllBytes()).isEqualTo(bytes("audio"));
    }
  }

  @Test
  void find_of_a_missing_key_is_empty() {
    assertThat(new FileSystemAudioStore(root).find(KEY)).isEmpty();
  }

  @Test
  void putting_a_key_again_keeps_exactly_one_object() throws IOException {
    FileSystemAudioStore store = new FileSystemAudioStore(root);
    AtomicInteger writes = new AtomicInteger();

    store.put(
        KEY,
        AudioFormat.WAV,
        out -> {
          writes.incrementAndGet();
          out.write(bytes("same"));
        });
    StoredAudio again =
        store.put(
            KEY,
            AudioFormat.WAV,
            out -> {
              writes.incrementAndGet();
              out.write(bytes("same"));
            });

    assertThat(again.size()).isEqualTo(4);
    assertThat(writes).hasValue(1);
    assertThat(regularFiles()).hasSize(1);
  }

  @Test
  void failed_writer_stores_nothing_and_leaves_no_temp_file() throws IOException {
    FileSystemAudioStore store = new FileSystemAudioStore(root);

    assertThatThrownBy(
            () ->
                store.put(
                    KEY,
                    AudioFormat.WAV,
                    out -> {
                      out.write(bytes("half"));
                      throw new IOException("encoder failed");
                    }))
        .hasMessage("encoder failed");

    assertThat(store.find(KEY)).isEmpty();
    assertThat(regularFiles()).isEmpty();
  }

  @Test
  void delete_removes_the_object() throws IOException {
    FileSystemAudioStore store = new FileSystemAudioStore(root);
    store.put(KEY, AudioFormat.WAV, out -> out.write(1));

    assertThat(store.delete(KEY)).isTrue();
    assertThat(store.delete(KEY)).isFalse();
    assertThat(store.find(KEY)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"../../etc/passwd", "ab/../../x", "abcd/efgh", "..", "", "zzzz", "ab", "/abs"})
  void rejects_keys_that_are_not_hex(String key) {
    FileSystemAudioStore store = new FileSystemAudioStore(root);

    assertThatThrownBy(() -> store.find(key)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.put(key, AudioFormat.WAV, out -> out.write(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.delete(key)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void upper_case_hex_names_the_same_object() throws IOException {
    FileSystemAudioStore store = new FileSystemAudioStore(root);
    store.put(KEY, AudioFormat.WAV, out -> out.write(1));

    assertThat(store.find(KEY.toUpperCase())).isPresent();
  }

  private Stream<Path> regularFiles() throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).toList().stream();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes(s)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
