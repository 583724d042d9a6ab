package dev.ttsapi.audio;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Where encoded audio is kept, and how clients get it.
 *
 * @param url empty for files under {@code <data-dir>/audio} (the embedded default), or {@code
 *     s3://bucket[/prefix]} for an S3-compatible object store ({@code AUDIO_STORE_URL})
 * @param endpoint the S3 API's address, for a store other than AWS's (MinIO, Ceph, R2, S3Proxy);
 *     empty = the SDK's own choice ({@code AWS_ENDPOINT_URL_S3}, else AWS for the region)
 * @param region the bucket's region; empty = the SDK's chain ({@code AWS_REGION}, the profile),
 *     else us-east-1, which stores other than AWS accept
 * @param pathStyle address the bucket as {@code endpoint/bucket/key} rather than {@code
 *     bucket.endpoint/key}; most self-hosted stores want it
 * @param accessKey with {@code secretKey}, the credentials; empty = the SDK's default chain
 *     (environment, profile, container or instance role)
 * @param secretKey see {@code accessKey}
 * @param download how {@code GET /tts/audio/{id}} hands out audio: streamed through this node, or a
 *     redirect to a short-lived presigned URL of the object store (S3 only)
 * @param presignTtl how long a presigned URL works (at most 7 days, SigV4's limit)
 * @param multipartThreshold audio longer than this is uploaded in parts of this size, one part
 *     buffered at a time; at least 5MB (S3's smallest part), at most 1GB
 * @param connectTimeout longest wait for a connection to the object store
 * @param readTimeout longest wait for the object store to send the next bytes of an answer
 * @param maxConnections connections to the object store at most; a streamed download holds one for
 *     as long as its client reads
 */
@Validated
@ConfigurationProperties("tts.audio-store")
public record AudioStoreProperties(
    String url,
    String endpoint,
    String region,
    boolean pathStyle,
    String accessKey,
    String secretKey,
    @NotNull Download download,
    @NotNull Duration presignTtl,
    @NotNull DataSize multipartThreshold,
    @NotNull Duration connectTimeout,
    @NotNull Duration readTimeout,
    @Min(1) int maxConnections) {

  /** How a download is answered. */
  public enum Download {
    /** This node reads the object (ranges too) and writes it into the response. */
    STREAM,
    /** A 307 to a presigned URL: the bytes go from the object store straight to the client. */
    REDIRECT
  }

  /** S3's smallest part of a multipart upload (but the last). */
  static final DataSize MIN_PART = DataSize.ofMegabytes(5);

  /** One part is one array in memory. */
  static final DataSize MAX_PART = DataSize.ofGigabytes(1);

  /** SigV4 signatures expire after a week at most. */
  static final Duration MAX_PRESIGN_TTL = Duration.ofDays(7);

  public AudioStoreProperties {
    url = url == null ? "" : url.strip();
    if (multipartThreshold != null
        && (multipartThreshold.compareTo(MIN_PART) < 0
            || multipartThreshold.compareTo(MAX_PART) > 0)) {
      throw new IllegalArgumentException(
          "tts.audio-store.multipart-threshold must be between 5MB (S3's smallest part) and 1GB");
    }
    if (presignTtl != null
        && (presignTtl.isNegative()
            || presignTtl.isZero()
            || presignTtl.compareTo(MAX_PRESIGN_TTL) > 0)) {
      throw new IllegalArgumentException(
          "tts.audio-store.presign-ttl must be positive and at most 7 days");
    }
    if (!url.isEmpty()) {
      s3Location(url); // refuses anything but s3://bucket[/prefix] at startup
    }
  }

  /** Whether audio goes to an object store rather than local files. */
  public boolean s3() {
    return !url.isEmpty();
  }

  /** The bucket and key prefix {@link #url} names. */
  S3Location s3Location() {
    return s3Location(url);
  }

  /** A bucket and the prefix every object key of the store starts with ("" or ending in '/'). */
  record S3Location(String bucket, String prefix) {}

  private static S3Location s3Location(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("AUDIO_STORE_URL is not a URL: " + url, e);
    }
    String bucket = uri.getRawAuthority();
    if (!"s3".equals(uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT))
        || bucket == null
        || bucket.isBlank()
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "AUDIO_STORE_URL must be empty (files under the data directory) or s3://bucket[/prefix],"
              + " not "
              + url);
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String prefix = path.replaceAll("^/+", "");
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      prefix += "/";
    }
    return new S3Location(bucket, prefix);
  }
}
