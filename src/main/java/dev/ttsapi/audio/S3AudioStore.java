package dev.ttsapi.audio;

import dev.ttsapi.audio.AudioStoreProperties.S3Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.ContentDisposition;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * An {@link AudioStore} in an S3-compatible object store (AWS S3, MinIO, Ceph, R2), shared by every
 * node. Key {@code abcdef…} is the object {@code <prefix>abcdef…}; its format travels as the
 * object's Content-Type and {@code x-amz-meta-format}, so one HEAD finds an object whatever its
 * format.
 *
 * <p>A put streams the writer's bytes through one buffer of at most {@code multipart-threshold}:
 * audio that fits is sent in one PUT, longer audio as a multipart upload of parts that size. Either
 * way S3 makes the object visible only when it is complete (the PUT or the completion of the
 * upload), and a failed upload is aborted. Reads are ranged GETs, so a Range request costs only the
 * bytes it asks for. With downloads set to {@code redirect}, a {@link StoredAudio} also gives a
 * presigned GET URL for clients to fetch the object themselves.
 *
 * <p>An unreachable store, a 5xx or throttling becomes {@link AudioStoreUnavailableException}
 * (retried by the SDK first); any other refusal is the caller's fault and an {@link IOException}.
 */
public final class S3AudioStore implements AudioStore, AutoCloseable {

  /** User metadata naming the format (x-amz-meta-format). */
  static final String FORMAT_METADATA = "format";

  /** Readiness asks every few seconds: a store slower than this to answer counts as down. */
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);

  private final S3Client s3;
  private final S3Presigner presigner;
  private final S3Location location;
  private final int partSize;
  private final Duration presignTtl;

  /**
   * @param presigner null unless downloads are redirected to presigned URLs
   * @param partSize the largest object sent in one PUT, and the size of each part of longer ones
   */
  S3AudioStore(
      S3Client s3, S3Presigner presigner, S3Location location, int partSize, Duration presignTtl) {
    this.s3 = s3;
    this.presigner = presigner;
    this.location = location;
    this.partSize = partSize;
    this.presignTtl = presignTtl;
  }

  /** A store on the bucket {@code properties.url()} names, with clients made from the settings. */
  public static S3AudioStore connect(AudioStoreProperties properties) {
    return S3Clients.store(properties);
  }

  @Override
  public Optional<StoredAudio> find(String key) {
    String k = ContentKeys.check(key);
    try {
      return Optional.of(stored(k, s3.headObject(r -> r.bucket(bucket()).key(objectKey(k)))));
    } catch (SdkException e) {
      if (notFound(e)) {
        return Optional.empty();
      }
      throw unchecked("find audio " + k, e);
    }
  }

  @Override
  public StoredAudio put(String key, AudioFormat format, AudioWriter writer) throws IOException {
    String k = ContentKeys.check(key);
    Optional<StoredAudio> existing;
    try {
      existing = find(k);
    } catch (UncheckedIOException refused) {
      throw refused.getCause();
    }
    if (existing.isPresent()) {
      return existing.get();
    }
    long size;
    S3Upload upload = new S3Upload(s3, bucket(), objectKey(k), format, partSize);
    try {
      writer.writeTo(upload);
      size = upload.complete();
    } catch (SdkException e) {
      if (unavailable(e)) {
        throw outage("store audio " + k, e);
      }
      throw refused("store audio " + k, e);
    } finally {
      upload.abortIfIncomplete();
    }
    return new StoredAudio(k, format, size, new Reader(k, format));
  }

  @Override
  public boolean delete(String key) {
    String k = ContentKeys.check(key);
    // S3 answers a DELETE alike whether or not there was an object: ask first.
    if (find(k).isEmpty()) {
      return false;
    }
    try {
      s3.deleteObject(r -> r.bucket(bucket()).key(objectKey(k)));
      return true;
    } catch (SdkException e) {
      throw unchecked("delete audio " + k, e);
    }
  }

  @Override
  public void checkReachable() {
    try {
      s3.headBucket(
          r -> r.bucket(bucket()).overrideConfiguration(o -> o.apiCallTimeout(CHECK_TIMEOUT)));
    } catch (SdkException e) {
      // A missing bucket or refused credentials make the store as unusable as a dead one.
      throw new AudioStoreUnavailableException(
          "bucket " + bucket() + " does not answer: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    s3.close();
    if (presigner != null) {
      presigner.close();
    }
  }

  String bucket() {
    return location.bucket();
  }

  String objectKey(String key) {
    return location.prefix() + key;
  }

  private StoredAudio stored(String key, HeadObjectResponse head) {
    AudioFormat format = formatOf(head);
    return new StoredAudio(key, format, head.contentLength(), new Reader(key, format));
  }

  private static AudioFormat formatOf(HeadObjectResponse head) {
    Map<String, String> metadata = head.metadata();
    return AudioFormat.parse(metadata.get(FORMAT_METADATA))
        .or(
            () -> {
              for (AudioFormat f : AudioFormat.values()) {
                if (f.contentType().equals(head.contentType())) {
                  return Optional.of(f);
                }
              }
              return Optional.empty();
            })
        .orElseThrow(
            () ->
                new UncheckedIOException(
                    new IOException(
                        "object of content type " + head.contentType() + " is not our audio")));
  }

  /** Ranged GETs of one object, and presigned URLs of it when downloads are redirected. */
  private final class Reader implements StoredAudio.Reader {

    private final String key;
    private final AudioFormat format;

    Reader(String key, AudioFormat format) {
      this.key = key;
      this.format = format;
    }

    @Override
    public InputStream open(long offset, long length) throws IOException {
      String range = "bytes=" + offset + "-" + (offset + length - 1);
      try {
        return s3.getObject(r -> r.bucket(bucket()).key(objectKey(key)).range(range));
      } catch (SdkException e) {
        if (unavailable(e)) {
          throw outage("read audio " + key, e);
        }
        throw refused("read audio " + key, e);
      }
    }

    @Override
    public Optional<URI> downloadUrl(String fileName) {
      if (presigner == null) {
        return Optional.empty();
      }
      String disposition = ContentDisposition.inline().filename(fileName).build().toString();
      try {
        return Optional.of(
            presigner
                .presignGetObject(
                    p ->
                        p.signatureDuration(presignTtl)
                            .getObjectRequest(
                                r ->
                                    r.bucket(bucket())
                                        .key(objectKey(key))
                                        .responseContentType(format.contentType())
                                        .responseContentDisposition(disposition)))
                .url()
                .toURI());
      } catch (URISyntaxException e) {
        throw new IllegalStateException("the SDK presigned a URL that is not a URI", e);
      }
    }
  }

  private static boolean notFound(SdkException e) {
    return e instanceof AwsServiceException service && service.statusCode() == 404;
  }

  /**
   * Whether the store, rather than our call, is at fault: no answer at all (refused, reset, timed
   * out), a 5xx, or throttling. Each has already been retried by the SDK.
   */
  static boolean unavailable(SdkException e) {
    if (e instanceof AwsServiceException service) {
      return service.statusCode() >= 500
          || service.statusCode() == 429
          || service.isThrottlingException();
    }
    return e instanceof SdkClientException;
  }

  private static RuntimeException unchecked(String what, SdkException e) {
    return unavailable(e) ? outage(what, e) : new UncheckedIOException(refused(what, e));
  }

  private static AudioStoreUnavailableException outage(String what, SdkException e) {
    return new AudioStoreUnavailableException("cannot " + what + ": " + e.getMessage(), e);
  }

  private static IOException refused(String what, SdkException e) {
    return new IOException("the object store refused to " + what + ": " + e.getMessage(), e);
  }
}
