package dev.ttsapi.engine.openai;

import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The OpenAI-compatible engine as a bean, present only when {@code tts.engines.openai.base-url} or
 * an API key ({@code OPENAI_API_KEY}) is set; as a {@code SpeechEngine} bean it joins the voice
 * catalog.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(OpenAiConfiguration.Configured.class)
@ConditionalOnRole(Role.WORKER)
class OpenAiConfiguration {

  @Bean
  OpenAiSpeechEngine openAiSpeechEngine(OpenAiEngineProperties properties) {
    return new OpenAiSpeechEngine(properties);
  }

  static final class Configured implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      Environment env = context.getEnvironment();
      return OpenAiEngineProperties.hasText(env.getProperty("tts.engines.openai.base-url"))
          || OpenAiEngineProperties.hasText(env.getProperty("tts.engines.openai.api-key"));
    }
  }
}
