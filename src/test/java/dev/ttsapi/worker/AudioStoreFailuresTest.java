package dev.ttsapi.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.audio.AudioStoreProperties.Download;
import dev.ttsapi.audio.S3AudioStore;
import dev.ttsapi.engine.FakeHttpServer;
import dev.ttsapi.support.S3ProxyServer;
import dev.ttsapi.support.TestStores;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * How a worker reads an object store's failures: one that does not answer, fails on its side or
 * throttles is an outage the job waits out; one that refuses our request fails the attempt.
 */
class AudioStoreFailuresTest {

  private static final String KEY = "abcdef0123456789";

  @Test
  void an_object_store_that_does_not_answer_is_an_outage() {
    String nobody = "http://127.0.0.1:" + TestStores.freePort();
    try (S3AudioStore store = store(nobody)) {
      assertThat(StoreOutage.isStoreFailure(catchThrowable(() -> store.find(KEY)))).isTrue();
      assertThat(StoreOutage.isStoreFailure(catchThrowable(() -> put(store)))).isTrue();
    }
  }

  @Test
  void a_5xx_or_throttling_is_an_outage_and_a_refusal_is_the_jobs_failure() {
    assertThat(isOutage(500, "InternalError")).isTrue();
    assertThat(isOutage(503, "SlowDown")).isTrue();
    assertThat(isOutage(403, "AccessDenied")).isFalse();
    assertThat(isOutage(400, "InvalidRequest")).isFalse();
  }

  private static boolean isOutage(int status, String code) {
    try (FakeHttpServer server = FakeHttpServer.start();
        S3AudioStore store = store(server.url())) {
      byte[] error =
          ("<Error><Code>" + code + "</Code><Message>" + code + "</Message></Error>")
              .getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 10; i++) {
        server.enqueue(FakeHttpServer.Reply.bytes(status, "application/xml", error));
      }
      Throwable failure = catchThrowable(() -> put(store));
      assertThat(failure).as("HTTP %d", status).isNotNull();
      return StoreOutage.isStoreFailure(failure);
    }
  }

  private static void put(S3AudioStore store) throws Exception {
    store.put(KEY, AudioFormat.WAV, out -> out.write(1));
  }

  private static S3AudioStore store(String endpoint) {
    return S3AudioStore.connect(
        S3ProxyServer.properties("s3://bucket/audio", endpoint, Download.STREAM));
  }
}
