package dev.ttsapi.engine.espeak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * espeak-ng's data directory as the library's copies see it: every file of the installed one, and a
 * {@code voices} directory in which each voice's name is a link to its file.
 *
 * <p>Why: {@code espeak_SetVoiceByName("vi")} loads a voice at once only when a file of that name
 * lies directly in {@code voices/} or {@code lang/}; the installed voices lie a level deeper
 * ({@code lang/aav/vi}), so for them espeak-ng reads every one of its 300-odd voice files to find
 * the one named so. A copy is loaded afresh for every synthesis, and that search took longer than
 * the synthesis of a short sentence. The voice selected is the same file either way, so the samples
 * are too ({@code EspeakLibraryTest} compares them with the espeak-ng program's).
 *
 * <p>A directory of links under {@code java.io.tmpdir}, removed when the engine closes.
 */
final class EspeakData implements AutoCloseable {

  private final Path directory;

  private EspeakData(Path directory) {
    this.directory = directory;
  }

  /**
   * Links to {@code installed}, with {@code voices/<name>} for each voice's name → {@code
   * lang/<file>} (file as espeak-ng lists it: {@code gmw/en-US}).
   */
  static EspeakData linking(Path installed, Map<String, String> fileByVoiceName)
      throws IOException {
    Path directory = Files.createTempDirectory("tts-espeak-ng-data");
    EspeakData data = new EspeakData(directory);
    try (Stream<Path> entries = Files.list(installed)) {
      for (Path entry : entries.toList()) {
        if (!entry.getFileName().toString().equals("voices")) {
          Files.createSymbolicLink(directory.resolve(entry.getFileName()), entry);
        }
      }
      Path voices = Files.createDirectory(directory.resolve("voices"));
      Path installedVoices = installed.resolve("voices");
      if (Files.isDirectory(installedVoices)) {
        try (Stream<Path> variants = Files.list(installedVoices)) {
          for (Path entry : variants.toList()) {
            Files.createSymbolicLink(voices.resolve(entry.getFileName()), entry);
          }
        }
      }
      for (Map.Entry<String, String> voice : fileByVoiceName.entrySet()) {
        // espeak-ng lower-cases the name before it looks for the file
        String name = voice.getKey().toLowerCase(Locale.ROOT);
        Path file = installed.resolve("lang").resolve(voice.getValue()).normalize();
        if (name.matches("[a-z0-9_-]+")
            && file.startsWith(installed)
            && Files.isRegularFile(file)
            && !Files.exists(voices.resolve(name))) {
          Files.createSymbolicLink(voices.resolve(name), file);
        }
      }
    } catch (IOException | RuntimeException e) {
      data.close();
      throw e;
    }
    return data;
  }

  /** What espeak_Initialize is given as its data path. */
  Path directory() {
    return directory;
  }

  @Override
  public void close() {
    try (Stream<Path> all = Files.walk(directory)) {
      // links are deleted, never followed
      for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // a directory of links left in the temp directory; nothing depends on it
    }
  }
}
