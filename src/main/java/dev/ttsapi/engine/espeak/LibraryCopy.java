package dev.ttsapi.engine.espeak;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A copy of a shared library in a file of its own, so that loading it gives a second set of its
 * globals. The copy is an anonymous memory file ({@code memfd_create}), loaded through its {@code
 * /proc/self/fd} path: nothing is written to disk, nothing is left behind when the process ends,
 * and it loads where {@code /tmp} is mounted {@code noexec} (a container's tmpfs). Linux only.
 */
final class LibraryCopy implements AutoCloseable {

  /** MFD_CLOEXEC: child processes (the espeak-ng fallback, sox in tests) do not inherit it. */
  private static final int MFD_CLOEXEC = 1;

  private final int fd;
  private final Path path;

  private LibraryCopy(int fd) {
    this.fd = fd;
    this.path = Path.of("/proc/self/fd/" + fd);
  }

  /**
   * A new copy of the library at {@code original}.
   *
   * @throws IOException when it cannot be made (not Linux, no memfd_create)
   */
  static LibraryCopy of(Path original, String name) throws IOException {
    Function memfdCreate;
    try {
      memfdCreate = NativeLibrary.getInstance("c").getFunction("memfd_create");
    } catch (UnsatisfiedLinkError e) {
      throw new IOException("no memfd_create: " + e.getMessage(), e);
    }
    int fd = memfdCreate.invokeInt(new Object[] {name, MFD_CLOEXEC});
    if (fd < 0) {
      throw new IOException("memfd_create failed");
    }
    LibraryCopy copy = new LibraryCopy(fd);
    try (OutputStream out = Files.newOutputStream(copy.path)) {
      Files.copy(original, out);
    } catch (IOException | RuntimeException e) {
      copy.close();
      throw e;
    }
    return copy;
  }

  /** Where the dynamic loader finds this copy. */
  Path path() {
    return path;
  }

  @Override
  public void close() {
    NativeLibrary.getInstance("c").getFunction("close").invokeInt(new Object[] {fd});
  }
}
