package dev.ttsapi.config;

import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.audio.FileSystemAudioStore;
import dev.ttsapi.stores.StoresProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Audio lives in {@code <data-dir>/audio}; an S3-compatible store can take its place later. */
@Configuration(proxyBeanMethods = false)
class AudioStoreConfiguration {

  @Bean
  AudioStore audioStore(StoresProperties stores) {
    return new FileSystemAudioStore(stores.dataDir().resolve("audio"));
  }
}
