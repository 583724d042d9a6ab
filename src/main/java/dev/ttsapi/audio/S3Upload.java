package dev.ttsapi.audio;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The stream an {@link AudioWriter} writes into for {@link S3AudioStore}: bytes gather in one
 * buffer of at most {@code partSize}; if the audio ends within it, it goes up in one PUT, otherwise
 * each full buffer becomes a part of a multipart upload, completed at the end. Memory per upload is
 * bounded by one part whatever the audio's length. Nothing is visible in the bucket until {@link
 * #complete()} succeeds; closing without it aborts the upload.
 */
final class S3Upload extends OutputStream {

  private static final Logger log = LoggerFactory.getLogger(S3Upload.class);
  private static final int FIRST_BUFFER = 64 * 1024;

  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final AudioFormat format;
  private final int partSize;
  private final List<CompletedPart> parts = new ArrayList<>();
  private byte[] buffer = new byte[FIRST_BUFFER];
  private int count;
  private long uploaded;
  private String uploadId;
  private boolean completed;

  S3Upload(S3Client s3, String bucket, String key, AudioFormat format, int partSize) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
    this.format = format;
    this.partSize = partSize;
  }

  @Override
  public void write(int b) throws IOException {
    makeRoom();
    buffer[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    while (len > 0) {
      makeRoom();
      int n = Math.min(len, buffer.length - count);
      System.arraycopy(b, off, buffer, count, n);
      count += n;
      off += n;
      len -= n;
    }
  }

  /**
   * Makes the buffer able to take at least one more byte: grows it up to a part, and sends a full
   * part only once more bytes come, so the last part is never empty.
   */
  private void makeRoom() {
    if (count < buffer.length) {
      return;
    }
    if (buffer.length < partSize) {
      buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, partSize));
      return;
    }
    uploadPart();
  }

  private void uploadPart() {
    if (uploadId == null) {
      uploadId =
          s3.createMultipartUpload(
                  r ->
                      r.bucket(bucket)
                          .key(key)
                          .contentType(format.contentType())
                          .metadata(metadata()))
              .uploadId();
    }
    int partNumber = parts.size() + 1;
    String etag =
        s3.uploadPart(
                r ->
                    r.bucket(bucket)
                        .key(key)
                        .uploadId(uploadId)
                        .partNumber(partNumber)
                        .contentLength((long) count),
                body())
            .eTag();
    parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
    uploaded += count;
    count = 0;
  }

  /** What the buffer holds, readable again if the SDK retries. */
  private RequestBody body() {
    byte[] bytes = buffer;
    int length = count;
    return RequestBody.fromContentProvider(
        () -> new ByteArrayInputStream(bytes, 0, length), length, format.contentType());
  }

  /**
   * Sends what is left and makes the object visible.
   *
   * @return the object's size
   */
  long complete() {
    if (uploadId == null) {
      s3.putObject(
          r ->
              r.bucket(bucket)
                  .key(key)
                  .contentType(format.contentType())
                  .contentLength((long) count)
                  .metadata(metadata()),
          body());
    } else {
      uploadPart();
      s3.completeMultipartUpload(
          r -> r.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    }
    completed = true;
    return uploaded + count;
  }

  private Map<String, String> metadata() {
    return Map.of(S3AudioStore.FORMAT_METADATA, format.extension());
  }

  /**
   * Nothing: a writer may close the stream it was given (the Ogg writer does) before the store
   * completes the upload.
   */
  @Override
  public void close() {}

  /** Aborts an upload begun and not completed, so its parts are not kept (and billed). */
  void abortIfIncomplete() {
    buffer = null;
    if (completed || uploadId == null) {
      return;
    }
    try {
      s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
    } catch (SdkException e) {
      // The bucket's lifecycle rule for incomplete uploads removes it later.
      log.warn("Multipart upload {} of {} not aborted: {}", uploadId, key, e.toString());
    }
  }
}
