package dev.ttsapi.audio;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An {@link AudioStore} in a local directory. Key {@code abcdef…} in format MP3 is the file {@code
 * <root>/ab/cd/abcdef….mp3}: two levels of 256 directories keep every directory small even with
 * millions of objects. Keys must be hex, so a key can never name a path outside the root.
 */
public final class FileSystemAudioStore implements AudioStore {

  private final Path root;

  public FileSystemAudioStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  @Override
  public Optional<StoredAudio> find(String key) {
    String k = ContentKeys.check(key);
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
  public boolean holdsLocally(String key, AudioFormat format) {
    return Files.isRegularFile(pathOf(ContentKeys.check(key), format));
  }

  @Override
  public StoredAudio put(String key, AudioFormat format, AudioWriter writer) throws IOException {
    String k = ContentKeys.check(key);
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
    String k = ContentKeys.check(key);
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

  @Override
  public void checkReachable() {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new AudioStoreUnavailableException("audio directory " + root + " cannot be made", e);
    }
    if (!Files.isWritable(root)) {
      throw new AudioStoreUnavailableException(
          "audio directory " + root + " is not writable", null);
    }
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
    return new StoredAudio(
        key, format, Files.size(file), (offset, length) -> read(file, offset, length));
  }

  /** The file from {@code offset}: the channel is positioned there, nothing before it is read. */
  private static InputStream read(Path file, long offset, long length) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      channel.position(offset);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return new Limited(Channels.newInputStream(channel), length);
  }

  /** Ends after {@code left} bytes, however long the file is. */
  private static final class Limited extends FilterInputStream {

    private long left;

    Limited(InputStream in, long left) {
      super(in);
      this.left = left;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(Math.min(n, left));
      left -= skipped;
      return skipped;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(super.available(), left);
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
