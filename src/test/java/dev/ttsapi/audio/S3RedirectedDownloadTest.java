package dev.ttsapi.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.S3IntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Downloads set to redirect: once the key and ownership are checked, the API answers with a
 * presigned URL and the object store serves the bytes, ranges included.
 */
@TestPropertySource(properties = "tts.audio-store.download=redirect")
class S3RedirectedDownloadTest extends S3IntegrationTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void the_owner_is_redirected_to_a_presigned_url_the_object_store_serves() throws Exception {
    TestUser owner = newUser("s3-owner", Caller.Role.USER);
    TestUser other = newUser("s3-other", Caller.Role.USER);
    Response submitted =
        api.post("/tts/request", owner.key(), Payloads.submit("Fetched from the bucket.", "ogg"));
    String id = submitted.json().path("request_id").asString();
    awaitStatus(owner.key(), id, "completed");

    Response redirect = api.get("/tts/audio/" + id, owner.key());

    assertThat(redirect.status()).isEqualTo(307);
    assertThat(redirect.header("Cache-Control")).isEqualTo("no-store");
    assertThat(redirect.body()).isEmpty();
    URI location = URI.create(redirect.header("Location"));
    assertThat(location.toString()).startsWith(S3.endpoint() + "/" + BUCKET + "/" + PREFIX);
    assertThat(location.getRawQuery()).contains("X-Amz-Signature=").contains("X-Amz-Expires=300");
    HttpResponse<byte[]> whole = fetch(location, null);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.headers().firstValue("Content-Type")).hasValue("audio/ogg");
    assertThat(whole.headers().firstValue("Content-Length"))
        .hasValue(Integer.toString(whole.body().length));
    assertThat(whole.body())
        .startsWith("OggS".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    HttpResponse<byte[]> part = fetch(location, "bytes=10-59");
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(whole.body(), 10, 60));

    // the redirect is handed out only after the same checks as the audio itself
    assertThat(api.get("/tts/audio/" + id, null).status()).isEqualTo(401);
    Response foreign = api.get("/tts/audio/" + id, other.key());
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(foreign.header("Location")).isNull();
    // a client that has the audio revalidates against the API as before
    Response notModified =
        api.get("/tts/audio/" + id, owner.key(), "If-None-Match", redirect.header("ETag"));
    assertThat(notModified.status()).isEqualTo(304);
  }

  private HttpResponse<byte[]> fetch(URI url, String range) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(url);
    if (range != null) {
      request.header("Range", range);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
