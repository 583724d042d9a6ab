package dev.ttsapi.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttsapi.audio.AudioStoreProperties.Download;
import dev.ttsapi.stores.StoresProperties;
import dev.ttsapi.support.S3ProxyServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which store AUDIO_STORE_URL chooses, and the one combination refused. */
class AudioStoreConfigurationTest {

  private final StoresProperties stores =
      new StoresProperties(
          Path.of("target/config-test"), null, List.of(), null, Duration.ofSeconds(5), false);

  @Test
  void no_url_keeps_files_under_the_data_directory_and_an_s3_url_chooses_the_bucket()
      throws Exception {
    AudioStore files =
        new AudioStoreConfiguration()
            .audioStore(S3ProxyServer.properties("", null, Download.STREAM), stores);
    assertThat(files).isInstanceOf(FileSystemAudioStore.class);
    assertThat(((FileSystemAudioStore) files).root())
        .isEqualTo(Path.of("target/config-test/audio").toAbsolutePath());

    AudioStore s3 =
        new AudioStoreConfiguration()
            .audioStore(
                S3ProxyServer.properties(
                    "s3://bucket/audio", "http://127.0.0.1:9", Download.STREAM),
                stores);
    assertThat(s3).isInstanceOf(S3AudioStore.class);
    ((S3AudioStore) s3).close();
  }

  @Test
  void redirected_downloads_need_an_object_store() {
    assertThatThrownBy(
            () ->
                new AudioStoreConfiguration()
                    .audioStore(S3ProxyServer.properties("", null, Download.REDIRECT), stores))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs an object store");
  }
}
