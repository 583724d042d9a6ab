package dev.ttsapi.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Records a Java Flight Recorder profile of this node with the JDK's "profile" settings (method
 * samples, allocation, locks, I/O). One recording at a time: profiling costs a little CPU, and two
 * at once would measure each other.
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
      Path file = Files.createTempFile("tts-profile-", ".jfr");
      log.info("Recording a {} s JFR profile", length.toSeconds());
      recording.start();
      Thread.sleep(length);
      recording.stop();
      recording.dump(file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ParseException e) {
      throw new IllegalStateException("the JDK's profile settings could not be read", e);
    } finally {
      busy.set(false);
    }
  }
}
