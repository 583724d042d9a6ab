package dev.ttsapi.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Records a Java Flight Recorder profile of this node with the JDK's "profile" settings (method
 * samples, allocation, locks, I/O), less the events that copy the process's secrets. One recording
 * at a time: profiling costs a little CPU, and two at once would measure each other.
 */
@Component
class Profiler {

  private static final Logger log = LoggerFactory.getLogger(Profiler.class);

  /** Another profile is being recorded. */
  static final class BusyException extends RuntimeException {
    BusyException() {
      super("A profile is being recorded on this node; try again when it is done");
    }
  }

  /**
   * Events the profile leaves out: they copy environment variables ({@code DATABASE_URL} with its
   * password, API keys), system properties, and the command lines of this JVM and of every other
   * process on the machine ({@code --tts.stores.database-url=...}). A profile is a file that gets
   * mailed around; none of that helps read one.
   */
  static final Set<String> SECRET_BEARING_EVENTS =
      Set.of(
          "jdk.InitialEnvironmentVariable",
          "jdk.InitialSystemProperty",
          "jdk.JVMInformation",
          "jdk.SystemProcess");

  private final AtomicBoolean busy = new AtomicBoolean();

  /**
   * Records for {@code length} and returns the {@code .jfr} file; the caller deletes it.
   *
   * @throws BusyException if a recording is already running
   */
  Path record(Duration length) throws InterruptedException {
    if (!busy.compareAndSet(false, true)) {
      throw new BusyException();
    }
    try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
      recording.setName("tts-api profile");
      SECRET_BEARING_EVENTS.forEach(recording::disable);
      log.info("Recording a {} s JFR profile", length.toSeconds());
      recording.start();
      Thread.sleep(length);
      recording.stop();
      return dumpWithoutSecrets(recording);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ParseException e) {
      throw new IllegalStateException("the JDK's profile settings could not be read", e);
    } finally {
      busy.set(false);
    }
  }

  /**
   * The dump copies whole chunks of the JVM's repository, so it holds the events of any other
   * recording running meanwhile (an operator's {@code -XX:StartFlightRecording} or {@code jcmd
   * JFR.start}, whose default settings collect the environment): they are filtered out here.
   */
  private static Path dumpWithoutSecrets(Recording recording) throws IOException {
    Path raw = Files.createTempFile("tts-profile-raw-", ".jfr");
    try {
      recording.dump(raw);
      Path file = Files.createTempFile("tts-profile-", ".jfr");
      try (RecordingFile recorded = new RecordingFile(raw)) {
        recorded.write(
            file, event -> !SECRET_BEARING_EVENTS.contains(event.getEventType().getName()));
      }
      return file;
    } finally {
      Files.deleteIfExists(raw);
    }
  }
}
