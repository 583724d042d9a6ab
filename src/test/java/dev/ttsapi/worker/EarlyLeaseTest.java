package dev.ttsapi.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.cache.SingleFlight;
import dev.ttsapi.queue.Delivery;
import dev.ttsapi.queue.Job;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.queue.QueueReader;
import dev.ttsapi.queue.TestQueue;
import dev.ttsapi.request.RequestRepository;
import dev.ttsapi.support.GateEngine;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.MarkerEngine;
import dev.ttsapi.support.Payloads;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A new job's queue entry carries its content key, so a worker asks for the key's single-flight
 * lease as it takes the job, while PostgreSQL starts it, instead of one Redis round trip later. A
 * lease asked for that early must never outlive a job that does not synthesize: a leftover lease
 * would make every identical request wait for it to run out (the heartbeat's TTL) before it could
 * be spoken.
 */
class EarlyLeaseTest extends IntegrationTest {

  @Autowired JobProcessor processor;
  @Autowired RequestRepository requests;
  @Autowired GateEngine gate;

  @Test
  void a_new_jobs_entry_carries_its_content_key() {
    TestUser user = newUser("early-lease-entry", Caller.Role.USER);
    worker().stop();
    String id = submit(user, "An entry that names what it will say.");

    var entries =
        redis
            .sync()
            .xrange(TestQueue.stream(Priority.NORMAL), io.lettuce.core.Range.create("-", "+"));
    assertThat(entries).hasSize(1);
    assertThat(entries.getFirst().getBody()).containsEntry("content_key", contentKey(id));
    worker().start();
    awaitStatus(user.key(), id, "completed");
  }

  @Test
  void a_job_cancelled_before_a_worker_started_it_leaves_no_lease_behind() {
    TestUser user = newUser("early-lease-cancelled", Caller.Role.USER);
    worker().stop();
    String text = "Cancelled while it waited, asked for all the same.";
    String id = submit(user, text);
    assertThat(api.delete("/tts/request/" + id, user.key()).status()).isEqualTo(200);

    try (QueueReader reader = queue.reader("early-lease-worker")) {
      Delivery delivery = reader.next().orElseThrow();
      assertThat(delivery.job().contentKey()).isEqualTo(contentKey(id));
      processor.process(delivery, new Slot(new Semaphore(0)));
    }

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> redis.sync().exists(SingleFlight.leaseKey(contentKey(id))) == 0);
    assertThat(requests.events(UUID.fromString(id))).containsExactly("queued", "cancelled");

    // the same text from someone else is spoken at once, not after the lease ran out
    worker().start();
    TestUser other = newUser("early-lease-other", Caller.Role.USER);
    String again = submit(other, text);
    awaitStatus(other.key(), again, "completed");
  }

  @Test
  void an_entry_naming_another_content_key_synthesizes_under_its_own_keys_lease() throws Exception {
    TestUser user = newUser("early-lease-mismatch", Caller.Role.USER);
    worker().stop();
    String id = submitWith(user, "My entry was written by someone careless.", GateEngine.VOICE);
    String own = SingleFlight.leaseKey(contentKey(id));
    String elsewhere = SingleFlight.leaseKey("not-" + contentKey(id));
    Delivery delivery;
    try (QueueReader reader = queue.reader("early-lease-worker")) {
      Delivery taken = reader.next().orElseThrow();
      Job job = taken.job();
      delivery =
          new Delivery(
              new Job(
                  job.requestId(),
                  job.createdAt(),
                  job.priority(),
                  job.userId(),
                  "not-" + contentKey(id)),
              taken.entryId(),
              taken.partition());
    }

    gate.close();
    CompletableFuture<Void> running;
    try {
      running =
          CompletableFuture.runAsync(() -> processor.process(delivery, new Slot(new Semaphore(0))));
      // while it synthesizes, an identical request must find the lease of this text held
      await().atMost(Duration.ofSeconds(10)).until(() -> redis.sync().exists(own) == 1);
      assertThat(redis.sync().exists(elsewhere)).as("the other key's lease").isZero();
    } finally {
      gate.open();
    }
    running.get(30, TimeUnit.SECONDS);

    assertThat(api.get("/tts/status/" + id, user.key()).json().path("status").asString())
        .isEqualTo("completed");
    await().atMost(Duration.ofSeconds(5)).until(() -> redis.sync().exists(own) == 0);
    worker().start();
  }

  private String submit(TestUser user, String text) {
    return submitWith(user, text, MarkerEngine.VOICE);
  }

  private String submitWith(TestUser user, String text, String voice) {
    var response = api.post("/tts/request", user.key(), Payloads.submit(text, voice, "normal"));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("request_id").asString();
  }

  private String contentKey(String id) {
    return jdbc.sql("SELECT content_key FROM requests WHERE id = :id")
        .param("id", UUID.fromString(id))
        .query(String.class)
        .single();
  }
}
