package dev.ttsapi.audio;

import dev.ttsapi.audio.AudioStoreProperties.Download;
import dev.ttsapi.stores.StoresProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Audio lives in {@code <data-dir>/audio} unless {@code AUDIO_STORE_URL} names an S3-compatible
 * bucket ({@code s3://bucket/prefix}), which every node then shares.
 */
@Configuration(proxyBeanMethods = false)
class AudioStoreConfiguration {

  /** The S3 store's clients are closed with the context (Spring infers {@code close()}). */
  @Bean
  AudioStore audioStore(AudioStoreProperties audio, StoresProperties stores) {
    if (audio.s3()) {
      return S3AudioStore.connect(audio);
    }
    if (audio.download() == Download.REDIRECT) {
      // Files on one node have no URL of their own to send a client to.
      throw new IllegalStateException(
          "tts.audio-store.download=redirect needs an object store (AUDIO_STORE_URL=s3://...)");
    }
    return new FileSystemAudioStore(stores.dataDir().resolve("audio"));
  }
}
