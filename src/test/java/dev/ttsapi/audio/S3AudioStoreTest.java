package dev.ttsapi.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttsapi.audio.AudioStoreProperties.Download;
import dev.ttsapi.engine.FakeHttpServer;
import dev.ttsapi.support.S3ProxyServer;
import dev.ttsapi.support.TestStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * The contract on a real S3 API server (S3Proxy), each test under a prefix of its own, with what
 * only an object store does: names and metadata of the objects, outages told apart from refusals,
 * presigned URLs.
 */
class S3AudioStoreTest extends AudioStoreContract {

  private static final String BUCKET = "contract";
  private static final AtomicInteger TESTS = new AtomicInteger();
  private static final S3ProxyServer S3 = S3ProxyServer.shared();

  private String prefix;
  private S3AudioStore store;

  @BeforeEach
  void newStore() {
    S3.createBucket(BUCKET);
    prefix = "test-" + TESTS.incrementAndGet() + "-" + System.nanoTime() + "/";
    store = S3AudioStore.connect(S3.properties("s3://" + BUCKET + "/" + prefix, Download.STREAM));
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Override
  protected AudioStore store() {
    return store;
  }

  /**
   * Objects under the test's prefix, and multipart uploads begun and neither completed nor aborted.
   */
  @Override
  protected List<String> everythingStored() {
    List<String> names = new ArrayList<>();
    S3.objects(BUCKET, prefix).forEach(o -> names.add(o.key()));
    for (MultipartUpload upload :
        S3.client().listMultipartUploads(r -> r.bucket(BUCKET).prefix(prefix)).uploads()) {
      names.add("upload of " + upload.key());
    }
    return names;
  }

  @Test
  void an_object_is_named_by_prefix_and_key_and_carries_its_content_type() throws IOException {
    String key = key(200);

    store.put(key, AudioFormat.MP3, out -> out.write(bytes(10, 200)));

    assertThat(everythingStored()).containsExactly(prefix + key);
    HeadObjectResponse head = S3.client().headObject(r -> r.bucket(BUCKET).key(prefix + key));
    assertThat(head.contentType()).isEqualTo("audio/mpeg");
    assertThat(head.metadata()).containsEntry("format", "mp3");
  }

  @Test
  void an_object_store_that_does_not_answer_is_unavailable_not_a_refusal() {
    String nobody = "http://127.0.0.1:" + TestStores.freePort();
    try (S3AudioStore down =
        S3AudioStore.connect(
            S3ProxyServer.properties("s3://" + BUCKET + "/x", nobody, Download.STREAM))) {

      assertThatThrownBy(() -> down.find(key(201)))
          .isInstanceOf(AudioStoreUnavailableException.class);
      assertThatThrownBy(() -> down.put(key(201), AudioFormat.WAV, out -> out.write(1)))
          .isInstanceOf(AudioStoreUnavailableException.class);
      assertThatThrownBy(() -> down.delete(key(201)))
          .isInstanceOf(AudioStoreUnavailableException.class);
      assertThatThrownBy(down::checkReachable).isInstanceOf(AudioStoreUnavailableException.class);
    }
  }

  @Test
  void a_refusal_of_our_request_is_not_an_outage() throws IOException {
    try (FakeHttpServer server = FakeHttpServer.start();
        S3AudioStore refusing = onFake(server)) {
      for (int i = 0; i < 10; i++) {
        server.enqueue(FakeHttpServer.Reply.bytes(403, "application/xml", error("AccessDenied")));
      }

      assertThatThrownBy(() -> refusing.find(key(203)))
          .isInstanceOf(UncheckedIOException.class)
          .isNotInstanceOf(AudioStoreUnavailableException.class);
      assertThatThrownBy(() -> refusing.put(key(203), AudioFormat.WAV, out -> out.write(1)))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void wrong_credentials_are_refused_and_make_the_store_unreachable() throws IOException {
    AudioStoreProperties right = S3.properties("s3://" + BUCKET + "/" + prefix, Download.STREAM);
    AudioStoreProperties wrong =
        new AudioStoreProperties(
            right.url(),
            right.endpoint(),
            right.region(),
            true,
            right.accessKey(),
            "not-the-secret",
            Download.STREAM,
            right.presignTtl(),
            right.multipartThreshold(),
            right.connectTimeout(),
            right.readTimeout(),
            right.maxConnections());
    try (S3AudioStore refused = S3AudioStore.connect(wrong)) {
      assertThatThrownBy(() -> refused.put(key(204), AudioFormat.WAV, out -> out.write(1)))
          .isInstanceOf(IOException.class);
      assertThatThrownBy(refused::checkReachable)
          .isInstanceOf(AudioStoreUnavailableException.class);
    }
    assertThat(everythingStored()).isEmpty();
  }

  @Test
  void with_redirected_downloads_a_stored_object_has_a_presigned_url_that_serves_ranges()
      throws Exception {
    String key = key(205);
    byte[] audio = bytes(3_000, 205);
    store.put(key, AudioFormat.OGG, out -> out.write(audio));
    assertThat(store.find(key).orElseThrow().downloadUrl("x.ogg")).isEmpty();

    try (S3AudioStore redirecting =
        S3AudioStore.connect(S3.properties("s3://" + BUCKET + "/" + prefix, Download.REDIRECT))) {
      URI url = redirecting.find(key).orElseThrow().downloadUrl("request.ogg").orElseThrow();

      assertThat(url.toString()).startsWith(S3.endpoint() + "/" + BUCKET + "/" + prefix + key);
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<byte[]> whole =
          http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(whole.statusCode()).isEqualTo(200);
      assertThat(whole.body()).isEqualTo(audio);
      assertThat(whole.headers().firstValue("Content-Type")).hasValue("audio/ogg");
      HttpResponse<byte[]> part =
          http.send(
              HttpRequest.newBuilder(url).header("Range", "bytes=100-199").build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(part.statusCode()).isEqualTo(206);
      assertThat(part.body()).isEqualTo(Arrays.copyOfRange(audio, 100, 200));
    }
  }

  private static S3AudioStore onFake(FakeHttpServer server) {
    return S3AudioStore.connect(
        S3ProxyServer.properties("s3://fake/audio", server.url(), Download.STREAM));
  }

  private static byte[] error(String code) {
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
            + code
            + "</Code><Message>"
            + code
            + "</Message></Error>")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
