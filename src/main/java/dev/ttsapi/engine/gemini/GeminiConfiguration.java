package dev.ttsapi.engine.gemini;

import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The Gemini engine as a bean, present only when an API key is set ({@code GEMINI_API_KEY}); as a
 * {@code SpeechEngine} bean it joins the voice catalog.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(GeminiConfiguration.ApiKeySet.class)
@ConditionalOnRole(Role.WORKER)
class GeminiConfiguration {

  @Bean
  GeminiEngine geminiEngine(GeminiProperties properties, Clock clock) {
    return new GeminiEngine(properties, clock);
  }

  /**
   * {@code @ConditionalOnProperty} would match the empty string application.yaml binds when the
   * variable is unset.
   */
  static final class ApiKeySet implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      String key = context.getEnvironment().getProperty("tts.engines.gemini.api-key");
      return key != null && !key.isBlank();
    }
  }
}
