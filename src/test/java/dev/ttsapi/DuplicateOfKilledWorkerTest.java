package dev.ttsapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.request.RequestRepository;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.TestStores;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A duplicate waits (off its slot) on an original whose worker process is then killed: nothing is
 * lost. The dead worker's lease runs out with its heartbeat, the duplicate makes the audio itself,
 * and the original, taken over from the dead worker, completes from that audio. Real worker
 * processes, PostgreSQL and Redis.
 */
class DuplicateOfKilledWorkerTest {

  // Apart per checkout (-Dtts.test.database=…) and made anew each run.
  private static final String DATABASE = TestStores.DATABASE + "_duplicates";
  private static final String REDIS = TestStores.redisUrl(13);
  private static final String DATA = "target/test-data-duplicates";

  @BeforeEach
  void freshStores() {
    TestStores.freshLocalStores(DATABASE, REDIS);
  }

  @Test
  void duplicate_of_a_job_whose_worker_is_killed_still_completes() throws Exception {
    List<String> settings =
        List.of(
            "--server.port=0",
            "--tts.stores.data-dir=" + DATA,
            "--tts.stores.database-url=postgresql://postgres@127.0.0.1:5432/" + DATABASE,
            "--tts.stores.redis-url=" + REDIS,
            "--tts.queue.block-timeout=500ms",
            // only the heartbeat (and the lease, which lasts as long) can explain a quick recovery
            "--tts.queue.visibility-timeout=5m",
            "--tts.queue.reclaim-interval=500ms",
            "--tts.worker.heartbeat-interval=1s",
            "--tts.worker.heartbeat-ttl=4s");
    // One slot: once it runs the original, the doomed worker reads nothing else. Started first,
    // so its JVM starts while this one starts the API node.
    Process doomed = startWorkerProcess(settings, "--tts.worker.slots=1");
    try (ConfigurableApplicationContext apiNode = start(settings, "api")) {
      UserService users = apiNode.getBean(UserService.class);
      String alice = key(users, "alice-killed-" + System.nanoTime());
      String bob = key(users, "bob-killed-" + System.nanoTime());
      ApiClient api =
          new ApiClient(((WebServerApplicationContext) apiNode).getWebServer().getPort());
      // Long enough that synthesis takes seconds: the kill lands in the middle of it.
      String text =
          IntStream.rangeClosed(1, 60)
              .mapToObj(i -> "This is sentence number " + i + " of a story told twice.")
              .collect(Collectors.joining(" "));
      try {
        await()
            .atMost(Duration.ofSeconds(300))
            .until(() -> api.get("/tts/voices", alice).json().path("voices").size() > 0);
        String original = submit(api, alice, text);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> "processing".equals(status(api, alice, original)));

        try (ConfigurableApplicationContext survivor = start(settings, "worker")) {
          String duplicate = submit(api, bob, text);
          MeterRegistry meters = survivor.getBean(MeterRegistry.class);
          await()
              .atMost(Duration.ofSeconds(120))
              .until(() -> meters.get("tts.worker.waiting.duplicates").gauge().value() == 1);
          assertThat(status(api, alice, original)).isEqualTo("processing");

          doomed.destroyForcibly();
          assertThat(doomed.waitFor(60, TimeUnit.SECONDS)).isTrue();

          await()
              .atMost(Duration.ofSeconds(120))
              .until(
                  () ->
                      "completed".equals(status(api, bob, duplicate))
                          && "completed".equals(status(api, alice, original)));
          RequestRepository requests = apiNode.getBean(RequestRepository.class);
          assertThat(requests.events(UUID.fromString(duplicate)))
              .as("the duplicate waited, then made the audio in its one attempt")
              .containsExactly("queued", "started", "completed");
          assertThat(requests.events(UUID.fromString(original)))
              .containsExactly("queued", "started", "retried", "started", "completed");
          String contentKey = requests.find(UUID.fromString(original)).orElseThrow().contentKey();
          try (var files = Files.walk(Path.of(DATA, "audio"))) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith(contentKey)))
                .hasSize(1);
          }
          assertThat(api.get("/tts/audio/" + original, alice).body())
              .isEqualTo(api.get("/tts/audio/" + duplicate, bob).body());
        }
      } finally {
        doomed.destroyForcibly(); // left running, it would take the next run's jobs
      }
    } finally {
      doomed.destroyForcibly(); // also when the API node does not start
    }
  }

  private static String key(UserService users, String name) {
    Caller user = users.createUser(name, Caller.Role.USER);
    return users.issueKey(user.userId()).key();
  }

  private static String submit(ApiClient api, String key, String text) {
    var response =
        api.post("/tts/request", key, Payloads.submit(text, "mary:cmu-slt-hsmm", "normal"));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("request_id").asString();
  }

  private static String status(ApiClient api, String key, String id) {
    return api.get("/tts/status/" + id, key).json().path("status").asString();
  }

  private static Process startWorkerProcess(List<String> settings, String... more)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TtsApiApplication.class.getName());
    command.addAll(settings);
    command.addAll(List.of(more));
    command.add("--tts.roles=worker");
    File log = new File("target/duplicate-worker-process.log");
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
  }

  private static ConfigurableApplicationContext start(List<String> settings, String roles) {
    List<String> args = new ArrayList<>(settings);
    args.add("--tts.roles=" + roles);
    return new SpringApplicationBuilder(TtsApiApplication.class).run(args.toArray(String[]::new));
  }
}
