package dev.ttsapi.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.S3IntegrationTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An object store that goes away is an outage, not the job's fault: the node turns not-ready, a job
 * meeting it waits without failing or using up its attempts, and completes once the store is back.
 */
class S3OutageTest extends S3IntegrationTest {

  @Test
  void a_job_waits_out_an_object_store_outage_and_readiness_follows_the_store() {
    TestUser user = newUser("s3-outage", Caller.Role.USER);
    await().atMost(Duration.ofSeconds(60)).until(() -> ready() == 200);
    String id;
    S3.stop();
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> ready() == 503);
      assertThat(
              api.get("/health/ready", null).json().path("checks").path("audio_store").asString())
          .isEqualTo("down");

      Response submitted =
          api.post("/tts/request", user.key(), Payloads.submit("Waiting for the bucket.", "mp3"));
      assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);
      id = submitted.json().path("request_id").asString();
      await().atMost(Duration.ofSeconds(30)).until(() -> "processing".equals(status(user, id)));

      // the worker has met the store (looking for the audio is its first step): the job stays
      // in its first attempt instead of failing it
      await()
          .during(Duration.ofSeconds(5))
          .atMost(Duration.ofSeconds(10))
          .until(() -> "processing".equals(status(user, id)) && attempt(id) == 1);
    } finally {
      S3.restart();
    }

    awaitStatus(user.key(), id, "completed");
    assertThat(attempt(id)).isOne();
    assertThat(S3.objects(BUCKET, PREFIX)).hasSize(1);
    assertThat(api.get("/tts/audio/" + id, user.key()).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> ready() == 200);
  }

  private int ready() {
    return api.get("/health/ready", null).status();
  }

  private String status(TestUser user, String id) {
    return api.get("/tts/status/" + id, user.key()).json().path("status").asString();
  }

  private int attempt(String id) {
    return jdbc.sql("SELECT attempt FROM requests WHERE id = :id")
        .param("id", UUID.fromString(id))
        .query(Integer.class)
        .single();
  }
}
