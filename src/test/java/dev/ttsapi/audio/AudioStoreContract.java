package dev.ttsapi.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link AudioStore} does, run against each of them: a subclass gives a fresh, empty
 * store per test and a way to see everything it holds, finished or not (temporary files, multipart
 * uploads in progress), so "nothing stored" means nothing at all.
 */
public abstract class AudioStoreContract {

  /** An empty store, new for each test. */
  protected abstract AudioStore store();

  /** Names of everything the store holds for this test, complete or not. */
  protected abstract List<String> everythingStored() throws IOException;

  /** More than S3's smallest part (5MB) four times over, so an object store uploads in parts. */
  static final int LARGE = 20 * 1024 * 1024;

  @ParameterizedTest
  @EnumSource(AudioFormat.class)
  void put_then_find_give_the_same_bytes_size_and_format(AudioFormat format) throws IOException {
    String key = key(1);
    byte[] audio = bytes(1000, 1);

    StoredAudio put = store().put(key, format, out -> out.write(audio));

    assertThat(put.key()).isEqualTo(key);
    assertThat(put.format()).isEqualTo(format);
    assertThat(put.size()).isEqualTo(audio.length);
    assertThat(read(put)).isEqualTo(audio);
    StoredAudio found = store().find(key).orElseThrow();
    assertThat(found.key()).isEqualTo(key);
    assertThat(found.format()).isEqualTo(format);
    assertThat(found.size()).isEqualTo(audio.length);
    assertThat(read(found)).isEqualTo(audio);
  }

  @Test
  void a_writer_may_close_the_stream_it_is_given() throws IOException {
    // the Ogg writer closes its output when it finishes the stream
    String key = key(13);
    byte[] audio = bytes(300, 13);

    store()
        .put(
            key,
            AudioFormat.OGG,
            out -> {
              out.write(audio);
              out.close();
            });

    assertThat(read(store().find(key).orElseThrow())).isEqualTo(audio);
  }

  @Test
  void find_of_a_missing_key_is_empty() {
    assertThat(store().find(key(2))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"../../etc/passwd", "ab/../../x", "abcd/efgh", "..", "", "zzzz", "ab", "/abs"})
  void keys_that_are_not_hex_are_refused(String key) throws IOException {
    AtomicInteger writes = new AtomicInteger();

    assertThatThrownBy(() -> store().find(key)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store().put(key, AudioFormat.WAV, out -> writes.incrementAndGet()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store().delete(key)).isInstanceOf(IllegalArgumentException.class);
    assertThat(writes).hasValue(0);
    assertThat(everythingStored()).isEmpty();
  }

  @Test
  void upper_case_hex_names_the_same_object() throws IOException {
    String key = key(3);
    store().put(key, AudioFormat.WAV, out -> out.write(bytes(10, 3)));

    assertThat(store().find(key.toUpperCase())).isPresent();
    assertThat(store().delete(key.toUpperCase())).isTrue();
    assertThat(store().find(key)).isEmpty();
  }

  @Test
  void a_stored_key_keeps_its_object_and_a_second_writer_need_not_run() throws IOException {
    String key = key(4);
    byte[] first = bytes(100, 4);
    store().put(key, AudioFormat.MP3, out -> out.write(first));

    StoredAudio again = store().put(key, AudioFormat.MP3, out -> out.write(bytes(100, 5)));

    assertThat(read(again)).isEqualTo(first);
    assertThat(read(store().find(key).orElseThrow())).isEqualTo(first);
    assertThat(everythingStored()).hasSize(1);
  }

  @Test
  void every_range_reads_exactly_its_bytes() throws IOException {
    byte[] audio = bytes(10_000, 6);
    StoredAudio stored = store().put(key(6), AudioFormat.OGG, out -> out.write(audio));
    long[][] ranges = {
      {0, 1}, {0, 10_000}, {1, 1}, {9_999, 1}, {4_096, 4_096}, {123, 4_567}, {5_000, 0}, {1, 9_999}
    };

    for (StoredAudio audioObject : List.of(stored, store().find(key(6)).orElseThrow())) {
      for (long[] range : ranges) {
        int from = (int) range[0];
        try (InputStream in = audioObject.open(range[0], range[1])) {
          assertThat(in.readAllBytes())
              .as("bytes %d..%d", from, from + range[1] - 1)
              .isEqualTo(Arrays.copyOfRange(audio, from, from + (int) range[1]));
        }
      }
    }
  }

  @Test
  void a_range_past_the_end_stops_at_the_last_byte_and_one_beyond_it_is_refused()
      throws IOException {
    byte[] audio = bytes(1_000, 7);
    StoredAudio stored = store().put(key(7), AudioFormat.WAV, out -> out.write(audio));

    try (InputStream in = stored.open(990, 100)) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(audio, 990, 1_000));
    }
    try (InputStream in = stored.open(1_000, 5)) {
      assertThat(in.readAllBytes()).isEmpty();
    }
    assertThatThrownBy(() -> stored.open(1_001, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> stored.open(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> stored.open(0, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void holding_locally_is_never_claimed_for_what_find_does_not_have() throws IOException {
    String key = key(9);
    assertThat(store().holdsLocally(key, AudioFormat.MP3)).isFalse();
    store().put(key, AudioFormat.MP3, out -> out.write(bytes(10, 9)));

    assertThat(store().holdsLocally(key, AudioFormat.WAV)).as("another format").isFalse();
    if (store().holdsLocally(key, AudioFormat.MP3)) {
      assertThat(store().find(key)).isPresent();
    }
    store().delete(key);
    assertThat(store().holdsLocally(key, AudioFormat.MP3)).as("deleted").isFalse();
  }

  @Test
  void delete_says_whether_there_was_an_object_and_it_is_gone() throws IOException {
    String key = key(8);
    store().put(key, AudioFormat.PCM, out -> out.write(bytes(10, 8)));

    assertThat(store().delete(key)).isTrue();
    assertThat(store().find(key)).isEmpty();
    assertThat(store().delete(key)).isFalse();
    assertThat(everythingStored()).isEmpty();
  }

  @Test
  void concurrent_puts_of_one_key_leave_one_complete_object_and_each_caller_a_valid_one()
      throws Exception {
    String key = key(9);
    byte[] audio = bytes(1024 * 1024, 9);
    int writers = 8;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<StoredAudio>> puts = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      for (int i = 0; i < writers; i++) {
        puts.add(
            pool.submit(
                () -> {
                  start.await();
                  return store()
                      .put(
                          key,
                          AudioFormat.MP3,
                          out -> {
                            for (int at = 0; at < audio.length; at += 4096) {
                              out.write(audio, at, Math.min(4096, audio.length - at));
                            }
                          });
                }));
      }
      start.countDown();
      for (Future<StoredAudio> put : puts) {
        StoredAudio stored = put.get(60, TimeUnit.SECONDS);
        assertThat(stored.size()).isEqualTo(audio.length);
        assertThat(stored.format()).isEqualTo(AudioFormat.MP3);
        assertThat(read(stored)).isEqualTo(audio);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(read(store().find(key).orElseThrow())).isEqualTo(audio);
    assertThat(everythingStored()).hasSize(1);
  }

  @Test
  void a_writer_that_fails_leaves_nothing_stored() throws IOException {
    String key = key(10);

    assertThatThrownBy(
            () ->
                store()
                    .put(
                        key,
                        AudioFormat.WAV,
                        out -> {
                          out.write(bytes(100, 10));
                          throw new IOException("encoder failed");
                        }))
        .isInstanceOf(IOException.class)
        .hasMessage("encoder failed");

    assertThat(store().find(key)).isEmpty();
    assertThat(everythingStored()).isEmpty();
  }

  @Test
  void a_writer_that_fails_after_many_megabytes_leaves_nothing_stored() throws IOException {
    String key = key(11);
    byte[] megabyte = bytes(1024 * 1024, 11);

    assertThatThrownBy(
            () ->
                store()
                    .put(
                        key,
                        AudioFormat.WAV,
                        out -> {
                          for (int i = 0; i < 12; i++) {
                            out.write(megabyte);
                          }
                          throw new IOException("encoder failed late");
                        }))
        .hasMessage("encoder failed late");

    assertThat(store().find(key)).isEmpty();
    assertThat(everythingStored()).isEmpty();
  }

  @Test
  void a_large_object_round_trips_whole_and_in_ranges() throws IOException {
    String key = key(12);
    byte[] audio = bytes(LARGE, 12);

    StoredAudio put =
        store()
            .put(
                key,
                AudioFormat.MP3,
                out -> {
                  // uneven writes, and single bytes, as encoders make them
                  int at = 0;
                  for (int n = 1; at < audio.length; n = n * 7 % 65_521 + 1) {
                    int length = Math.min(n, audio.length - at);
                    if (length == 1) {
                      out.write(audio[at]);
                    } else {
                      out.write(audio, at, length);
                    }
                    at += length;
                  }
                });

    assertThat(put.size()).isEqualTo(LARGE);
    StoredAudio found = store().find(key).orElseThrow();
    assertThat(found.size()).isEqualTo(LARGE);
    try (InputStream in = found.open()) {
      assertThat(sha256(in)).isEqualTo(sha256(new java.io.ByteArrayInputStream(audio)));
    }
    int part = 5 * 1024 * 1024;
    try (InputStream in = found.open(part - 10, 20)) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(audio, part - 10, part + 10));
    }
    try (InputStream in = found.open(LARGE - 3, 10)) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(audio, LARGE - 3, LARGE));
    }
  }

  @Test
  void a_store_that_works_is_reachable() {
    store().checkReachable();
  }

  /** A content key: hex SHA-256, as the service makes them. */
  protected static String key(int n) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(("audio " + n).getBytes()));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  protected static byte[] bytes(int length, long seed) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }

  protected static byte[] read(StoredAudio audio) throws IOException {
    try (InputStream in = audio.open()) {
      return in.readAllBytes();
    }
  }

  private static String sha256(InputStream in) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
