package dev.ttsapi.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.S3IntegrationTest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The whole service with its audio in S3, downloads streamed through the API node. */
class S3StreamedDownloadTest extends S3IntegrationTest {

  @Test
  void a_request_is_spoken_into_the_bucket_and_downloads_with_length_etag_and_ranges() {
    TestUser user = newUser("s3-stream", Caller.Role.USER);
    Response submitted =
        api.post("/tts/request", user.key(), Payloads.submit("Stored in a bucket.", "mp3"));
    assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);
    String id = submitted.json().path("request_id").asString();
    awaitStatus(user.key(), id, "completed");

    Response whole = api.get("/tts/audio/" + id, user.key());

    assertThat(whole.status()).isEqualTo(200);
    assertThat(whole.header("Content-Type")).isEqualTo("audio/mpeg");
    assertThat(whole.header("Content-Length")).isEqualTo(Integer.toString(whole.body().length));
    String contentKey = contentKey(id);
    assertThat(whole.header("ETag")).isEqualTo("\"" + contentKey + "\"");
    // the audio is the bucket's object, not a local file
    S3Object object = S3.objects(BUCKET, PREFIX).getFirst();
    assertThat(object.key()).isEqualTo(PREFIX + contentKey);
    assertThat(object.size()).isEqualTo(whole.body().length);

    Response notModified =
        api.get("/tts/audio/" + id, user.key(), "If-None-Match", whole.header("ETag"));
    assertThat(notModified.status()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();

    int size = whole.body().length;
    Response part = api.get("/tts/audio/" + id, user.key(), "Range", "bytes=100-299");
    assertThat(part.status()).isEqualTo(206);
    assertThat(part.header("Content-Range")).isEqualTo("bytes 100-299/" + size);
    assertThat(part.header("Content-Length")).isEqualTo("200");
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(whole.body(), 100, 300));

    Response last = api.get("/tts/audio/" + id, user.key(), "Range", "bytes=-1");
    assertThat(last.status()).isEqualTo(206);
    assertThat(last.header("Content-Range"))
        .isEqualTo("bytes " + (size - 1) + "-" + (size - 1) + "/" + size);
    assertThat(last.body()).containsExactly(whole.body()[size - 1]);

    Response beyond = api.get("/tts/audio/" + id, user.key(), "Range", "bytes=" + size + "-");
    assertThat(beyond.status()).isEqualTo(416);
    assertThat(beyond.body()).isEmpty();
  }

  private String contentKey(String id) {
    return jdbc.sql("SELECT content_key FROM requests WHERE id = :id")
        .param("id", java.util.UUID.fromString(id))
        .query(String.class)
        .single();
  }
}
