package dev.ttsapi.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Payloads;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The queue-full 503 holds for the submit handler however its path is spelled: it used to compare
 * the raw URI with {@code /tts/request}, so {@code /tts/%72equest} and {@code /tts/request;x=1}
 * were queued past the limit. (Same settings as BackpressureTest, so the two share one context.)
 */
@TestPropertySource(
    properties = {
      "tts.backpressure.max-queue-depth=2",
      "tts.backpressure.high-priority-max-queue-depth=4",
      "tts.backpressure.queue-depth-cache=0s",
      "tts.backpressure.retry-after=7s",
      "tts.backpressure.heap-check-interval=50ms"
    })
class QueueLimitSpellingTest extends IntegrationTest {

  @Test
  void a_full_queue_refuses_the_submit_handler_under_every_spelling_of_its_path() {
    TestUser user = newUser("flooder", Caller.Role.USER);
    worker().stop();
    for (int i = 0; i < 3; i++) {
      assertThat(submit(user, "/tts/request", "Queued number " + i + ".").status()).isEqualTo(200);
    }

    for (String path :
        new String[] {
          "/tts/request", "/tts/%72equest", "/tts/request;x=1", "/tts;a=b/request", "/%74ts/request"
        }) {
      ApiClient.Response refused = submit(user, path, "Past the limit via " + path);
      assertThat(refused.status()).as(path).isEqualTo(503);
      assertThat(refused.header("Retry-After")).as(path).isEqualTo("7");
      assertThat(refused.json().path("type").asString()).as(path).endsWith("/queue-full");
    }
    assertThat(jdbc.sql("SELECT count(*) FROM requests").query(Long.class).single()).isEqualTo(3);
  }

  private ApiClient.Response submit(TestUser user, String path, String text) {
    return api.post(path, user.key(), Payloads.submit(text, "mary:cmu-slt-hsmm", "normal"));
  }
}
