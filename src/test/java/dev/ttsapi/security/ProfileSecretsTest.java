package dev.ttsapi.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.TtsApiApplication;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.TestStores;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JFR profile ({@code POST /admin/profile}) leaves out the node's environment variables, system
 * properties and command lines: they hold the database credentials ({@code DATABASE_URL}). The
 * service runs as its own process, because JFR reads those from the process's start, not from
 * anything a test could set later in its own JVM.
 */
class ProfileSecretsTest {

  private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");
  private static final Pattern ADMIN_KEY = Pattern.compile("Admin API key: (\\S+)");

  @TempDir Path work;

  @Test
  void a_profile_carries_no_environment_variable_system_property_or_command_line()
      throws Exception {
    TestStores.assumeLocalStores();
    // A new database: the service creates its first admin and prints the key.
    String database = TestStores.DATABASE + "_profile";
    TestStores.recreateDatabase(database);
    String secret = "jfr-canary-" + UUID.randomUUID().toString().replace("-", "");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dtts.canary=" + secret,
                // Operators often keep a continuous recording with the JDK's default settings,
                // which collect the environment: a profile's dump must not copy it.
                "-XX:StartFlightRecording",
                "-cp",
                System.getProperty("java.class.path"),
                TtsApiApplication.class.getName(),
                "--roles=api",
                "--server.port=0",
                // stopped with SIGTERM once read: no drain window to wait out (as in pom.xml)
                "--tts.observability.drain-window=0s",
                "--tts.stores.data-dir=" + work.resolve("data"),
                "--tts.stores.redis-url=" + TestStores.redisUrl(),
                "--tts.canary=" + secret)
            .redirectErrorStream(true);
    builder
        .environment()
        .put("DATABASE_URL", "postgresql://postgres:" + secret + "@127.0.0.1:5432/" + database);
    Process service = builder.start();
    try {
      Output output = Output.of(service);
      ApiClient api = new ApiClient(Integer.parseInt(output.port.get(120, TimeUnit.SECONDS)));
      String adminKey = output.adminKey.get(10, TimeUnit.SECONDS);

      ApiClient.Response profile = api.post("/admin/profile?seconds=1", adminKey, "", null);

      assertThat(profile.status()).isEqualTo(200);
      Path file = work.resolve("profile.jfr");
      Files.write(file, profile.body());
      Set<String> types = new TreeSet<>();
      List<String> carrying = new ArrayList<>();
      try (RecordingFile recording = new RecordingFile(file)) {
        while (recording.hasMoreEvents()) {
          RecordedEvent event = recording.readEvent();
          types.add(event.getEventType().getName());
          if (event.toString().contains(secret)) {
            carrying.add(event.toString());
          }
        }
      }
      // Still a profile (an idle node may not be sampled in 1 s: ProfileEndpointTest reads those).
      assertThat(types)
          .contains("jdk.ActiveRecording", "jdk.CPUInformation", "jdk.OSInformation")
          .doesNotContain(
              "jdk.InitialEnvironmentVariable",
              "jdk.InitialSystemProperty",
              "jdk.JVMInformation",
              "jdk.SystemProcess");
      assertThat(carrying).isEmpty();
      // Nor anywhere else in the file (constant pools included).
      assertThat(new String(profile.body(), StandardCharsets.ISO_8859_1)).doesNotContain(secret);
    } finally {
      service.destroy();
      if (!service.waitFor(30, TimeUnit.SECONDS)) {
        service.destroyForcibly();
      }
    }
  }

  /** The service's output, read on a thread of its own so its pipe never fills. */
  private record Output(CompletableFuture<String> port, CompletableFuture<String> adminKey) {

    static Output of(Process process) {
      Output output = new Output(new CompletableFuture<>(), new CompletableFuture<>());
      Thread.ofVirtual()
          .start(
              () -> {
                try (BufferedReader lines =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = lines.readLine()) != null) {
                    complete(output.port, PORT.matcher(line));
                    complete(output.adminKey, ADMIN_KEY.matcher(line));
                  }
                } catch (java.io.IOException e) {
                  // the process ended
                }
                output.port.completeExceptionally(new IllegalStateException("service exited"));
                output.adminKey.completeExceptionally(new IllegalStateException("no admin key"));
              });
      return output;
    }

    private static void complete(CompletableFuture<String> value, Matcher matcher) {
      if (matcher.find()) {
        value.complete(matcher.group(1));
      }
    }
  }
}
