package dev.ttsapi.engine;

import dev.ttsapi.engine.espeak.EspeakEngine;
import dev.ttsapi.engine.mary.MaryEngine;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The built-in engines as beans, and the catalog over every {@link SpeechEngine} bean (engines
 * declared elsewhere, such as remote APIs, join it by being beans too). Engines are loaded only on
 * nodes with the worker role: MaryTTS always there, espeak-ng when its binary is on the PATH
 * (through libespeak-ng unless {@code tts.engines.espeak.library} is false). Other nodes read the
 * catalog the workers publish ({@link VoiceDirectory}).
 */
@Configuration(proxyBeanMethods = false)
class SpeechEngineConfiguration {

  @Bean
  @ConditionalOnRole(Role.WORKER)
  MaryEngine maryEngine() {
    return new MaryEngine();
  }

  @Bean
  @ConditionalOnRole(Role.WORKER)
  @Conditional(EspeakOnPath.class)
  EspeakEngine espeakEngine(@Value("${tts.engines.espeak.library:true}") boolean throughLibrary) {
    return EspeakEngine.detect(EspeakEngine.DEFAULT_TIMEOUT, throughLibrary)
        .orElseThrow(() -> new IllegalStateException("espeak-ng is on the PATH but does not run"));
  }

  /** The engines of this process; none on a node without the worker role. */
  @Bean
  VoiceCatalog voiceCatalog(
      ObjectProvider<SpeechEngine> engines,
      @Value("${tts.voices.engine-preference:mary,espeak}") String enginePreference) {
    // A plain comma-separated string, so no conversion service is needed to read it.
    return new VoiceCatalog(
        engines.orderedStream().toList(),
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
