package dev.ttsapi.audio;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.core.io.FileSystemResource;

/**
 * An {@link AudioStore} in a local directory. Key {@code abcdef…} in format MP3 is the file {@code
 * <root>/ab/cd/abcdef….mp3}: two levels of 256 directories keep every directory small even with
 * millions of objects. Keys must be hex, so a key can never name a path outside the root.
 */
public final class FileSystemAudioStore implements AudioStore {

  private static final Pattern HEX_KEY = Pattern.compile("[0-9a-f]{4,128}");

  private final Path root;

  public FileSystemAudioStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  @Override
  public Optional<StoredAudio> find(String key) {
    String k = checkKey(key);
    for (AudioFormat format : AudioFormat.values()) {
      Path file = pathOf(k, format);
      if (Files.isRegularFile(file)) {
        try {
          return Optional.of(stored(k, format, file));
        } catch (IOException e) {
          // deleted between the check and the size read: treat as absent
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public StoredAudio put(String key, AudioFormat format, AudioWriter writer) throws IOException {
    String k = checkKey(key);
    Path target = pathOf(k, format);
    if (Files.isRegularFile(target)) {
      return stored(k, format, target);
    }
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + k + ".", ".part");
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        writer.writeTo(out);
      }
      moveIntoPlace(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
    return stored(k, format, target);
  }

  @Override
  public boolean delete(String key) {
    String k = checkKey(key);
    boolean deleted = false;
    for (AudioFormat format : AudioFormat.values()) {
      try {
        deleted |= Files.deleteIfExists(pathOf(k, format));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete audio " + k, e);
      }
    }
    return deleted;
  }

  Path pathOf(String key, AudioFormat format) {
    return root.resolve(key.substring(0, 2))
        .resolve(key.substring(2, 4))
        .resolve(key + "." + format.extension());
  }

  private static void moveIntoPlace(Path temp, Path target) throws IOException {
    try {
      // rename(2): replaces an object a concurrent writer of the same key may have put there,
      // which holds the same bytes
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static StoredAudio stored(String key, AudioFormat format, Path file) throws IOException {
    return new StoredAudio(key, format, Files.size(file), new FileSystemResource(file));
  }

  private static String checkKey(String key) {
    String k = key == null ? "" : key.toLowerCase(Locale.ROOT);
    if (!HEX_KEY.matcher(k).matches()) {
      throw new IllegalArgumentException("audio key must be 4 to 128 hex digits: " + key);
    }
    return k;
  }
}
