package dev.ttsapi.engine;

import dev.ttsapi.engine.espeak.EspeakEngine;
import dev.ttsapi.engine.mary.MaryEngine;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The built-in engines as beans, and the catalog over every {@link SpeechEngine} bean (engines
 * declared elsewhere, such as remote APIs, join it by being beans too). MaryTTS is always there;
 * espeak-ng only when its binary is on the PATH.
 */
@Configuration(proxyBeanMethods = false)
class SpeechEngineConfiguration {

  @Bean
  MaryEngine maryEngine() {
    return new MaryEngine();
  }

  @Bean
  @Conditional(EspeakOnPath.class)
  EspeakEngine espeakEngine() {
    return EspeakEngine.detect()
        .orElseThrow(() -> new IllegalStateException("espeak-ng is on the PATH but does not run"));
  }

  @Bean
  VoiceCatalog voiceCatalog(
      List<SpeechEngine> engines,
      @Value("${tts.voices.engine-preference:mary,espeak}") String enginePreference) {
    // A plain comma-separated string, so no conversion service is needed to read it.
    return new VoiceCatalog(
        engines,
        java.util.Arrays.stream(enginePreference.split(","))
            .map(String::trim)
            .filter(id -> !id.isEmpty())
            .toList());
  }

  static final class EspeakOnPath implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return EspeakEngine.findOnPath().isPresent();
    }
  }
}
