package dev.ttsapi.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttsapi.audio.AudioStoreProperties.Download;
import dev.ttsapi.audio.AudioStoreProperties.S3Location;
import dev.ttsapi.support.ApplicationYaml;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.unit.DataSize;

/** The audio store's defaults in application.yaml, AUDIO_STORE_URL, and what is refused. */
class AudioStoreSettingsTest {

  @Test
  void by_default_audio_is_files_streamed_through_the_api() {
    AudioStoreProperties audio = bind(Map.of());

    assertThat(audio.s3()).isFalse();
    assertThat(audio.download()).isEqualTo(Download.STREAM);
    assertThat(audio.presignTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(audio.multipartThreshold()).isEqualTo(DataSize.ofMegabytes(8));
    assertThat(audio.pathStyle()).isFalse();
    assertThat(audio.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(audio.readTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(audio.maxConnections()).isEqualTo(200);
  }

  @Test
  void audio_store_url_names_the_bucket_and_the_prefix_of_every_object() {
    assertThat(bind(Map.of("AUDIO_STORE_URL", "s3://tts-audio/prod/audio")).s3Location())
        .isEqualTo(new S3Location("tts-audio", "prod/audio/"));
    assertThat(bind(Map.of("AUDIO_STORE_URL", "s3://tts-audio/prod/")).s3Location())
        .isEqualTo(new S3Location("tts-audio", "prod/"));
    assertThat(bind(Map.of("AUDIO_STORE_URL", "s3://tts-audio")).s3Location())
        .isEqualTo(new S3Location("tts-audio", ""));
  }

  @Test
  void anything_but_an_s3_url_a_tiny_part_or_a_long_presign_is_refused_at_startup() {
    for (String url :
        new String[] {"http://tts-audio/x", "s3:///x", "s3://b/x?y=1", "/data/audio"}) {
      assertThatThrownBy(() -> bind(Map.of("AUDIO_STORE_URL", url)))
          .as(url)
          .isInstanceOf(BindException.class)
          .hasRootCauseMessage(
              "AUDIO_STORE_URL must be empty (files under the data directory) or"
                  + " s3://bucket[/prefix], not "
                  + url);
    }
    assertThatThrownBy(() -> bind(Map.of("tts.audio-store.multipart-threshold", "4MB")))
        .isInstanceOf(BindException.class);
    assertThatThrownBy(() -> bind(Map.of("tts.audio-store.presign-ttl", "8d")))
        .isInstanceOf(BindException.class);
  }

  private static AudioStoreProperties bind(Map<String, Object> overrides) {
    StandardEnvironment environment = ApplicationYaml.environment();
    environment.getPropertySources().addFirst(new MapPropertySource("test", overrides));
    return Binder.get(environment).bind("tts.audio-store", AudioStoreProperties.class).get();
  }
}
