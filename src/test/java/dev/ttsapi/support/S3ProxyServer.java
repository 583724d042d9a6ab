package dev.ttsapi.support;

import dev.ttsapi.audio.AudioStoreProperties;
import dev.ttsapi.audio.AudioStoreProperties.Download;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.springframework.util.FileSystemUtils;
import org.springframework.util.unit.DataSize;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3Proxy (a real S3 API server) on a loopback port, its objects in a directory under target/, for
 * the S3 audio store's tests. It runs in a JVM of its own, started from its self-contained jar
 * (copied to target/s3proxy by the build): its dependencies never meet the application's, and a
 * test can stop it dead and start it again on the same port and data, as an outage would.
 */
public final class S3ProxyServer implements AutoCloseable {

  public static final String ACCESS_KEY = "tts-test-access";
  public static final String SECRET_KEY = "tts-test-secret";
  public static final String REGION = "us-east-1";

  private static final Path JAR =
      Path.of(System.getProperty("tts.test.s3proxy-jar", "target/s3proxy/s3proxy.jar"));

  private static S3ProxyServer shared;

  private final int port;
  private final Path dir;
  private final S3Client client;
  private Process process;

  private S3ProxyServer(int port, Path dir) {
    this.port = port;
    this.dir = dir;
    this.client =
        S3Client.builder()
            .endpointOverride(URI.create(endpoint()))
            .region(Region.of(REGION))
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .build();
  }

  /** One server for the whole test run, started on first use, stopped when the JVM exits. */
  public static synchronized S3ProxyServer shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  /** A server of its own, for a test that stops it. */
  public static S3ProxyServer start() {
    try {
      Files.createDirectories(Path.of("target"));
      Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "s3proxy-");
      Files.createDirectories(dir.resolve("data"));
      S3ProxyServer server = new S3ProxyServer(TestStores.freePort(), dir);
      server.restart();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** A client with the server's credentials, to look at what a store left in the bucket. */
  public S3Client client() {
    return client;
  }

  /** Kills the server, as a crash or a network partition would end it. */
  public void stop() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Starts the server (again) on its port, with the objects it had. */
  public void restart() {
    stop();
    try {
      Path conf = dir.resolve("s3proxy.conf");
      Files.writeString(
          conf,
          String.join(
              "\n",
              "s3proxy.endpoint=" + endpoint(),
              "s3proxy.authorization=aws-v2-or-v4",
              "s3proxy.identity=" + ACCESS_KEY,
              "s3proxy.credential=" + SECRET_KEY,
              "jclouds.provider=filesystem-nio2",
              "jclouds.identity=local",
              "jclouds.credential=local",
              "jclouds.filesystem.basedir=" + dir.resolve("data"),
              ""));
      if (!Files.isRegularFile(JAR)) {
        throw new IllegalStateException(
            JAR.toAbsolutePath() + " is missing: the build copies it there (mvn test-compile)");
      }
      String java = ProcessHandle.current().info().command().orElse("java");
      process =
          new ProcessBuilder(
                  java, "-Xmx256m", "-jar", JAR.toString(), "--properties", conf.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("s3proxy.log").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Awaitility.await("S3Proxy on port " + port)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "S3Proxy exited; see " + dir.resolve("s3proxy.log"));
              }
              return TestStores.reachable(port);
            });
  }

  /** Makes the bucket if it is not there yet. */
  public void createBucket(String bucket) {
    try {
      client.headBucket(r -> r.bucket(bucket));
    } catch (NoSuchBucketException e) {
      client.createBucket(r -> r.bucket(bucket));
    }
  }

  /** Every object in the bucket under {@code prefix}. */
  public List<S3Object> objects(String bucket, String prefix) {
    ListObjectsV2Response list = client.listObjectsV2(r -> r.bucket(bucket).prefix(prefix));
    return list.contents();
  }

  /** Deletes every object of the bucket, so a test starts with none. */
  public void empty(String bucket) {
    for (S3Object object : objects(bucket, "")) {
      client.deleteObject(r -> r.bucket(bucket).key(object.key()));
    }
  }

  /** Settings of an audio store on {@code url} (s3://bucket/prefix) of this server. */
  public AudioStoreProperties properties(String url, Download download) {
    return properties(url, endpoint(), download);
  }

  /** Settings of an audio store on {@code url} at any endpoint, with this server's credentials. */
  public static AudioStoreProperties properties(String url, String endpoint, Download download) {
    return new AudioStoreProperties(
        url,
        endpoint,
        REGION,
        true,
        ACCESS_KEY,
        SECRET_KEY,
        download,
        Duration.ofMinutes(5),
        DataSize.ofMegabytes(5),
        Duration.ofSeconds(2),
        Duration.ofSeconds(30),
        50);
  }

  /** Stops the server and removes its objects. */
  @Override
  public void close() {
    stop();
    client.close();
    try {
      FileSystemUtils.deleteRecursively(dir);
    } catch (IOException e) {
      // target/ is cleaned by the build anyway
    }
  }
}
