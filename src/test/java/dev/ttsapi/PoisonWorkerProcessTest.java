package dev.ttsapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.queue.QueueKeys;
import dev.ttsapi.request.RequestRepository;
import dev.ttsapi.request.RequestStatus;
import dev.ttsapi.request.TtsRequest;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.FaultEngine;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.TestEnginesApplication;
import dev.ttsapi.support.TestStores;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A poison job that kills its worker process (the engine halts the JVM, as a native crash or the
 * OOM killer would), run by real worker processes that the test restarts each time one dies, as a
 * supervisor would. The job is dead-lettered after {@code tts.queue.max-attempts} deliveries, its
 * request failed with a clear error, and other users' jobs submitted alongside all complete while
 * it is being retried.
 *
 * <p>Each worker runs one job at a time ({@code tts.worker.slots=1}): a job that kills its process
 * also ends the attempts of every job running beside it in that process, which this test keeps
 * apart from what it checks.
 */
class PoisonWorkerProcessTest {

  private static final String DATABASE = TestStores.DATABASE + "_poison";
  // The Redis database set aside for this checkout's process tests.
  private static final String REDIS = TestStores.redisUrl(12);
  private static final String DATA = "target/test-data-poison";
  private static final int MAX_ATTEMPTS = 3;

  @BeforeEach
  void freshStores() {
    TestStores.freshLocalStores(DATABASE, REDIS);
  }

  @Test
  void job_that_kills_its_worker_is_dead_lettered_after_max_attempts_while_others_complete()
      throws Exception {
    List<String> settings =
        List.of(
            "--server.port=0",
            "--tts.stores.data-dir=" + DATA,
            "--tts.stores.database-url=postgresql://postgres@127.0.0.1:5432/" + DATABASE,
            "--tts.stores.redis-url=" + REDIS,
            "--tts.queue.visibility-timeout=3s",
            "--tts.queue.reclaim-interval=500ms",
            "--tts.queue.block-timeout=500ms",
            "--tts.queue.max-attempts=" + MAX_ATTEMPTS,
            "--tts.worker.slots=1",
            "--tts.ratelimit.requests-per-minute=100000",
            "--tts.ratelimit.poll-requests-per-minute=100000");
    List<String> apiArgs = new ArrayList<>(settings);
    apiArgs.add("--tts.roles=api");
    // The supervisor's first worker, started first: its JVM starts while this one starts the API
    // node, which accepts requests once a worker has published its voices.
    Process[] worker = {startWorker(settings, 0)};
    try (ConfigurableApplicationContext apiNode =
        TestEnginesApplication.run(apiArgs.toArray(String[]::new))) {
      UserService users = apiNode.getBean(UserService.class);
      RequestRepository requests = apiNode.getBean(RequestRepository.class);
      ApiClient api =
          new ApiClient(((WebServerApplicationContext) apiNode).getWebServer().getPort());
      List<Integer> exits = new ArrayList<>();
      String probe = key(users, "probe");
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> api.get("/tts/voices", probe).json().path("voices").size() > 0);
      List<UUID> before = submit(api, users, "early", 2);
      UUID poison =
          submit(
              api, key(users, "poisoner"), "This text " + FaultEngine.HALT + " kills its worker.");
      List<UUID> after = submit(api, users, "late", 4);
      List<UUID> others = new ArrayList<>(before);
      others.addAll(after);

      // The supervisor: whenever the worker process is gone, start another.
      try {
        await()
            .atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  if (!worker[0].isAlive()) {
                    exits.add(worker[0].exitValue());
                    worker[0] = startWorker(settings, exits.size());
                  }
                  return status(requests, poison).terminal()
                      && others.stream()
                          .allMatch(id -> status(requests, id) == RequestStatus.COMPLETED);
                });
      } finally {
        worker[0].destroy();
        worker[0].waitFor(60, TimeUnit.SECONDS);
      }

      TtsRequest failed = requests.find(poison).orElseThrow();
      assertThat(failed.status()).isEqualTo(RequestStatus.FAILED);
      assertThat(failed.attempt()).isEqualTo(MAX_ATTEMPTS);
      assertThat(failed.error()).isEqualTo("worker stopped responding during attempt 3");
      assertThat(exits)
          .as("every worker that died was killed by the poison job, once per attempt")
          .containsExactly(
              FaultEngine.HALT_STATUS, FaultEngine.HALT_STATUS, FaultEngine.HALT_STATUS);
      assertThat(requests.events(poison))
          .containsExactly(
              "queued", "started", "retried", "started", "retried", "started", "failed");
      for (UUID id : others) {
        TtsRequest done = requests.find(id).orElseThrow();
        assertThat(done.attempt()).isEqualTo(1);
        if (after.contains(id)) {
          // submitted behind the poison job, done before it was given up: they flowed past it
          assertThat(done.completedAt()).isBefore(failed.completedAt());
        }
      }
      RedisClient redis = RedisClient.create(REDIS);
      try (var connection = redis.connect()) {
        List<StreamMessage<String, String>> dead =
            connection.sync().xrange(QueueKeys.DEAD_LETTERS, Range.create("-", "+"));
        assertThat(dead).hasSize(1);
        assertThat(dead.getFirst().getBody())
            .containsEntry("request_id", poison.toString())
            .containsEntry("attempts", Integer.toString(MAX_ATTEMPTS));
      } finally {
        redis.shutdown();
      }
    } finally {
      worker[0].destroyForcibly(); // also when the API node does not start
    }
  }

  private static RequestStatus status(RequestRepository requests, UUID id) {
    return requests.find(id).map(TtsRequest::status).orElseThrow();
  }

  private static String key(UserService users, String name) {
    Caller user = users.createUser(name + "-" + System.nanoTime(), Caller.Role.USER);
    return users.issueKey(user.userId()).key();
  }

  /** One job for each of {@code count} new users. */
  private static List<UUID> submit(ApiClient api, UserService users, String name, int count) {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(submit(api, key(users, name + i), "An ordinary job, number " + i + " " + name + "."));
    }
    return ids;
  }

  private static UUID submit(ApiClient api, String key, String text) {
    var response =
        api.post("/tts/request", key, Payloads.submit(text, FaultEngine.VOICE, "normal"));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return UUID.fromString(response.json().path("request_id").asString());
  }

  private static Process startWorker(List<String> settings, int generation) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-D" + FaultEngine.ALLOW_HALT + "=true");
    command.add(TestEnginesApplication.class.getName());
    command.addAll(settings);
    command.add("--tts.roles=worker");
    File log = new File("target/poison-worker-" + generation + ".log");
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
  }
}
