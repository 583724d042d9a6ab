package dev.ttsapi.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.test.context.TestPropertySource;

/**
 * Concurrent submits are written in groups (one lookup, one INSERT batch, one commit), each caller
 * answered only once its own row is committed; a row PostgreSQL refuses fails only its own submit.
 * A group is held open 300 ms here so that submits started together surely share one.
 */
@TestPropertySource(properties = "tts.request.group-commit-wait=300ms")
class GroupCommitTest extends IntegrationTest {

  private static final int SUBMITS = 8;

  @Autowired RequestService requests;
  @Autowired Utterances utterances;
  @Autowired MeterRegistry registry;

  @Test
  void concurrent_submits_share_a_commit_and_each_row_exists_when_its_caller_is_answered()
      throws Exception {
    TestUser user = newUser("group-user", Caller.Role.USER);
    worker().stop(); // the rows stay queued: what is checked is what the submit wrote
    long groupsBefore = groupsWritten();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<String>> answers = new ArrayList<>();
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < SUBMITS; i++) {
        String text = "Grouped submit number " + i + ".";
        answers.add(
            clients.submit(
                () -> {
                  start.await();
                  Response r = api.post("/tts/request", user.key(), Payloads.submit(text, "wav"));
                  assertThat(r.status()).as(r.text()).isEqualTo(200);
                  String id = r.json().path("request_id").asString();
                  // answered, so committed: visible to another connection at once
                  assertThat(
                          jdbc.sql("SELECT status FROM requests WHERE id = CAST(:id AS uuid)")
                              .param("id", id)
                              .query(String.class)
                              .single())
                      .isEqualTo("queued");
                  return id;
                }));
      }
      start.countDown();
      for (Future<String> answer : answers) {
        answer.get(60, TimeUnit.SECONDS);
      }
    } finally {
      worker().start();
    }

    assertThat(groupsWritten() - groupsBefore)
        .as("%d submits started together were written in fewer commits", SUBMITS)
        .isBetween(1L, SUBMITS - 1L);
    assertThat(
            jdbc.sql("SELECT count(*) FROM logs WHERE event = 'queued'").query(Long.class).single())
        .as("each row's first event is written with it")
        .isEqualTo(SUBMITS);
  }

  @Test
  void a_row_postgres_refuses_fails_only_its_own_submit_not_its_group() throws Exception {
    TestUser user = newUser("bad-row-user", Caller.Role.USER);
    worker().stop();
    long groupsBefore = groupsWritten();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<UUID>> good = new ArrayList<>();
    Future<UUID> bad;
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < SUBMITS - 1; i++) {
        Submission submission = submission(user, "A good row, number " + i + ".");
        good.add(
            clients.submit(
                () -> {
                  start.await();
                  return requests.submit(submission).request().id();
                }));
      }
      // PostgreSQL refuses a NUL character in text: the one row of the group it cannot store
      Submission valid = submission(user, "A bad row.");
      Utterance u = valid.utterance();
      Submission refused =
          new Submission(
              valid.userId(),
              valid.priority(),
              new Utterance(
                  u.text() + "\u0000",
                  u.characters(),
                  u.voice(),
                  u.engineVersion(),
                  u.languageRequested(),
                  u.voiceRequested(),
                  u.settings(),
                  u.format(),
                  u.sampleRate()));
      bad =
          clients.submit(
              () -> {
                start.await();
                return requests.submit(refused).request().id();
              });
      start.countDown();
      List<UUID> stored = new ArrayList<>();
      for (Future<UUID> answer : good) {
        stored.add(answer.get(60, TimeUnit.SECONDS));
      }

      assertThat(
              jdbc.sql("SELECT count(*) FROM requests WHERE id = ANY (CAST(:ids AS uuid[]))")
                  .param("ids", stored.stream().map(UUID::toString).toArray(String[]::new))
                  .query(Long.class)
                  .single())
          .isEqualTo(SUBMITS - 1);
      assertThat(bad)
          .failsWithin(java.time.Duration.ofSeconds(60))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .havingCause()
          .isInstanceOf(DataAccessException.class)
          .isNotInstanceOf(DataAccessResourceFailureException.class);
    } finally {
      worker().start();
    }
    assertThat(jdbc.sql("SELECT count(*) FROM requests").query(Long.class).single())
        .isEqualTo(SUBMITS - 1);
    assertThat(groupsWritten() - groupsBefore)
        .as("the refused row was in a group with good ones")
        .isBetween(1L, SUBMITS - 1L);
  }

  private Submission submission(TestUser user, String text) {
    return new Submission(
        user.caller().userId(),
        Priority.NORMAL,
        utterances.of(
            text, "mary:cmu-slt-hsmm", null, SpeechSettings.NORMAL, AudioFormat.WAV, null));
  }

  private long groupsWritten() {
    return registry.get("tts.requests.group.size").summary().count();
  }
}
