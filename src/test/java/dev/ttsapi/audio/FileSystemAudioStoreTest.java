package dev.ttsapi.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on a directory, and how the files are laid out. */
class FileSystemAudioStoreTest extends AudioStoreContract {

  @TempDir Path root;

  private FileSystemAudioStore store;

  @BeforeEach
  void newStore() {
    store = new FileSystemAudioStore(root);
  }

  @Override
  protected AudioStore store() {
    return store;
  }

  /** Every regular file under the root, temporary ones included. */
  @Override
  protected List<String> everythingStored() throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).toList();
    }
  }

  @Test
  void a_stored_file_is_held_locally_so_a_submit_can_answer_from_it_in_one_statement()
      throws IOException {
    String key = "ab".repeat(32);
    store().put(key, AudioFormat.OGG, out -> out.write(new byte[] {1, 2, 3}));

    assertThat(store().holdsLocally(key, AudioFormat.OGG)).isTrue();
  }

  @Test
  void an_object_is_a_file_under_two_levels_of_directories_named_by_its_key() throws IOException {
    String key = key(100);

    store.put(key, AudioFormat.MP3, out -> out.write(bytes(5, 100)));

    assertThat(everythingStored())
        .containsExactly(key.substring(0, 2) + "/" + key.substring(2, 4) + "/" + key + ".mp3");
  }

  @Test
  void a_root_that_cannot_be_a_directory_is_unreachable() throws IOException {
    Path file = Files.writeString(root.resolve("not-a-directory"), "x");

    assertThatThrownBy(() -> new FileSystemAudioStore(file.resolve("audio")).checkReachable())
        .isInstanceOf(AudioStoreUnavailableException.class);
  }
}
