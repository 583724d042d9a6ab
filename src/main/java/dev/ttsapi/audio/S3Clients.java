package dev.ttsapi.audio;

import dev.ttsapi.audio.AudioStoreProperties.Download;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The AWS SDK clients of an {@link S3AudioStore}, made from {@link AudioStoreProperties}. */
final class S3Clients {

  private S3Clients() {}

  static S3AudioStore store(AudioStoreProperties properties) {
    if (!properties.s3()) {
      throw new IllegalArgumentException("no s3:// URL in tts.audio-store.url");
    }
    if (hasText(properties.accessKey()) != hasText(properties.secretKey())) {
      throw new IllegalArgumentException(
          "set both tts.audio-store.access-key and secret-key, or neither (the SDK's chain)");
    }
    AwsCredentialsProvider credentials = credentials(properties);
    Region region = region(properties);
    S3ClientBuilder client =
        S3Client.builder()
            .region(region)
            .credentialsProvider(credentials)
            .forcePathStyle(properties.pathStyle())
            // Checksums only where S3 requires them: the newer default (a CRC on every upload, in
            // a trailer) is not understood by every S3-compatible store yet.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .httpClientBuilder(
                ApacheHttpClient.builder()
                    .connectionTimeout(properties.connectTimeout())
                    .socketTimeout(properties.readTimeout())
                    // a streamed download holds its connection while the client reads
                    .maxConnections(properties.maxConnections()));
    S3Presigner presigner = null;
    if (hasText(properties.endpoint())) {
      client.endpointOverride(URI.create(properties.endpoint()));
    }
    if (properties.download() == Download.REDIRECT) {
      S3Presigner.Builder builder =
          S3Presigner.builder()
              .region(region)
              .credentialsProvider(credentials)
              .serviceConfiguration(
                  S3Configuration.builder().pathStyleAccessEnabled(properties.pathStyle()).build());
      if (hasText(properties.endpoint())) {
        builder.endpointOverride(URI.create(properties.endpoint()));
      }
      presigner = builder.build();
    }
    return new S3AudioStore(
        client.build(),
        presigner,
        properties.s3Location(),
        (int) properties.multipartThreshold().toBytes(),
        properties.presignTtl());
  }

  private static AwsCredentialsProvider credentials(AudioStoreProperties properties) {
    if (hasText(properties.accessKey())) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(properties.accessKey(), properties.secretKey()));
    }
    return DefaultCredentialsProvider.builder().build();
  }

  private static Region region(AudioStoreProperties properties) {
    if (hasText(properties.region())) {
      return Region.of(properties.region());
    }
    try {
      return DefaultAwsRegionProviderChain.builder().build().getRegion();
    } catch (SdkClientException none) {
      // Stores other than AWS take any region; AWS itself needs the bucket's.
      return Region.US_EAST_1;
    }
  }

  private static boolean hasText(String s) {
    return s != null && !s.isBlank();
  }
}
