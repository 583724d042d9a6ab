package dev.ttsapi.support;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link IntegrationTest} with its audio in an S3 bucket of the test run's S3Proxy, emptied before
 * each test. Attempts get a long visibility timeout, so a job meeting an object store outage waits
 * in it (half that timeout) rather than failing attempt after attempt while a test watches.
 */
public abstract class S3IntegrationTest extends IntegrationTest {

  protected static final String BUCKET = "tts-audio";
  protected static final String PREFIX = "audio/";
  protected static final S3ProxyServer S3 = S3ProxyServer.shared();

  @DynamicPropertySource
  static void audioInS3(DynamicPropertyRegistry registry) {
    S3.createBucket(BUCKET);
    registry.add("tts.audio-store.url", () -> "s3://" + BUCKET + "/" + PREFIX);
    registry.add("tts.audio-store.endpoint", S3::endpoint);
    registry.add("tts.audio-store.region", () -> S3ProxyServer.REGION);
    registry.add("tts.audio-store.path-style", () -> "true");
    registry.add("tts.audio-store.access-key", () -> S3ProxyServer.ACCESS_KEY);
    registry.add("tts.audio-store.secret-key", () -> S3ProxyServer.SECRET_KEY);
    registry.add("tts.queue.visibility-timeout", () -> "60s");
  }

  @BeforeEach
  void emptyBucket() {
    S3.empty(BUCKET);
  }
}
