package dev.ttsapi.observability;

import dev.ttsapi.web.Admin;
import dev.ttsapi.web.AdminOnly;
import dev.ttsapi.web.InvalidInputException;
import dev.ttsapi.web.Problem;
import dev.ttsapi.web.ProblemType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /admin/profile?seconds=N} (admin key): records a JFR profile of this node for N
 * seconds (1 to {@code tts.observability.max-profile-seconds}) and answers the {@code .jfr} file,
 * readable with {@code jfr print} or JDK Mission Control. It holds no environment variable, system
 * property or command line ({@link Profiler}). 409 while another profile is recorded.
 */
@RestController
class ProfileController {

  private final Profiler profiler;
  private final int maxSeconds;

  ProfileController(Profiler profiler, ObservabilityProperties properties) {
    this.profiler = profiler;
    this.maxSeconds = properties.maxProfileSeconds();
  }

  @AdminOnly
  @PostMapping("/admin/profile")
  ResponseEntity<?> profile(Admin admin, @RequestParam(defaultValue = "30") int seconds)
      throws InterruptedException, IOException {
    if (seconds < 1 || seconds > maxSeconds) {
      throw new InvalidInputException("seconds", "must be between 1 and " + maxSeconds);
    }
    Path file;
    try {
      file = profiler.record(Duration.ofSeconds(seconds));
    } catch (Profiler.BusyException e) {
      throw new Problem(ProblemType.PROFILER_BUSY, e.getMessage());
    }
    long size = Files.size(file);
    // The file is deleted once the response has read it (or failed to).
    InputStream in = Files.newInputStream(file, StandardOpenOption.DELETE_ON_CLOSE);
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_OCTET_STREAM)
        .contentLength(size)
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"tts-api-profile.jfr\"")
        .body(new InputStreamResource(in));
  }
}
