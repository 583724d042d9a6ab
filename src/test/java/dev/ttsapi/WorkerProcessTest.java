package dev.ttsapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.queue.QueueInspector;
import dev.ttsapi.request.RequestRepository;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.TestStores;
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
 * A real worker process taken down in the middle of synthesis. An API-only node accepts the job, a
 * worker process starts it and is stopped, and a worker started afterwards finishes it exactly
 * once: one audio object, one terminal row, nothing left in the queue.
 */
class WorkerProcessTest {

  // Apart per checkout (-Dtts.test.database=…) and made anew each run.
  private static final String DATABASE = TestStores.DATABASE + "_workers";
  private static final String REDIS = TestStores.redisUrl(14);
  private static final String DATA = "target/test-data-workers";

  @BeforeEach
  void freshStores() {
    TestStores.freshLocalStores(DATABASE, REDIS);
  }

  /** kill -9: no shutdown hook runs; the job is reclaimed after the visibility timeout. */
  @Test
  void job_of_a_killed_worker_process_is_finished_once_by_another_worker() throws Exception {
    run(
        List.of("--tts.queue.visibility-timeout=3s", "--tts.queue.reclaim-interval=500ms"),
        Process::destroyForcibly,
        "processing");
  }

  /**
   * kill -9 with a visibility timeout of five minutes: the killed worker's heartbeat runs out (10
   * s) and the next worker takes its job then, so only the heartbeat can explain that it completes
   * within the test's 90 s.
   */
  @Test
  void job_of_a_killed_worker_is_taken_over_once_its_heartbeat_is_gone() throws Exception {
    run(
        List.of(
            "--tts.queue.visibility-timeout=5m",
            "--tts.queue.reclaim-interval=500ms",
            "--tts.worker.heartbeat-interval=2s",
            "--tts.worker.heartbeat-ttl=10s"),
        Process::destroyForcibly,
        "processing");
  }

  /**
   * SIGTERM: the worker stops taking jobs, gives the running one a short grace period, then hands
   * it back, so the next worker finishes it at once rather than after the (ten-minute) timeout.
   */
  @Test
  void job_of_a_stopping_worker_is_handed_back_and_finished_by_another_at_once() throws Exception {
    run(
        List.of("--tts.queue.visibility-timeout=10m", "--tts.worker.shutdown-grace=1s"),
        Process::destroy,
        "queued");
  }

  private void run(
      List<String> timings, java.util.function.Consumer<Process> takeDown, String statusAfter)
      throws Exception {
    List<String> settings = new ArrayList<>(timings);
    settings.addAll(
        List.of(
            "--server.port=0",
            "--tts.stores.data-dir=" + DATA,
            "--tts.stores.database-url=postgresql://postgres@127.0.0.1:5432/" + DATABASE,
            "--tts.stores.redis-url=" + REDIS,
            "--tts.queue.block-timeout=500ms"));
    // The worker process first: its JVM starts while this one starts the API node.
    Process doomed = startWorkerProcess(settings);
    try (ConfigurableApplicationContext apiNode = start(settings, "api")) {
      UserService users = apiNode.getBean(UserService.class);
      Caller user = users.createUser("worker-test-" + System.nanoTime(), Caller.Role.USER);
      String key = users.issueKey(user.userId()).key();
      ApiClient api =
          new ApiClient(((WebServerApplicationContext) apiNode).getWebServer().getPort());
      // Long enough that synthesis takes seconds: the take-down lands in the middle of it.
      String text =
          IntStream.rangeClosed(1, 60)
              .mapToObj(i -> "This is sentence number " + i + " of a long article.")
              .collect(Collectors.joining(" "));
      long takenDownAt;
      String id;
      try {
        // An API-only node resolves voices from what workers published (a process start can take
        // minutes on a loaded machine).
        await()
            .atMost(Duration.ofSeconds(300))
            .until(() -> api.get("/tts/voices", key).json().path("voices").size() > 0);
        id =
            api.post("/tts/request", key, Payloads.submit(text, "mary:cmu-slt-hsmm", "normal"))
                .json()
                .path("request_id")
                .asString();
      } catch (RuntimeException | Error e) {
        doomed.destroyForcibly(); // left running, it would take the next run's jobs
        throw e;
      }
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> "processing".equals(status(api, key, id)));
      } finally {
        takenDownAt = System.nanoTime();
        takeDown.accept(doomed);
        assertThat(doomed.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(status(api, key, id)).isEqualTo(statusAfter);

      try (ConfigurableApplicationContext survivor = start(settings, "worker")) {
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> "completed".equals(status(api, key, id)));
        System.out.printf(
            "WorkerProcessTest: completed %d ms after the take-down (survivor start included)%n",
            (System.nanoTime() - takenDownAt) / 1_000_000);
        RequestRepository requests = apiNode.getBean(RequestRepository.class);
        assertThat(requests.events(UUID.fromString(id)))
            .containsExactly("queued", "started", "retried", "started", "completed");
        assertThat(requests.find(UUID.fromString(id)).orElseThrow().attempt()).isEqualTo(2);
        String contentKey = requests.find(UUID.fromString(id)).orElseThrow().contentKey();
        try (var files = Files.walk(Path.of(DATA, "audio"))) {
          assertThat(files.filter(p -> p.getFileName().toString().startsWith(contentKey)))
              .hasSize(1);
        }
        QueueInspector queue = survivor.getBean(QueueInspector.class);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> queue.depths().get(Priority.NORMAL) == 0);
      }
    } finally {
      doomed.destroyForcibly(); // left running, it would take the next run's jobs
    }
  }

  private static String status(ApiClient api, String key, String id) {
    return api.get("/tts/status/" + id, key).json().path("status").asString();
  }

  private static Process startWorkerProcess(List<String> settings) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TtsApiApplication.class.getName());
    command.addAll(settings);
    command.add("--tts.roles=worker");
    File log = new File("target/worker-process.log");
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
  }

  private static ConfigurableApplicationContext start(List<String> settings, String roles) {
    List<String> args = new ArrayList<>(settings);
    args.add("--tts.roles=" + roles);
    return new SpringApplicationBuilder(TtsApiApplication.class).run(args.toArray(String[]::new));
  }
}
