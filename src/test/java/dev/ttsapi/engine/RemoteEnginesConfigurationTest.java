package dev.ttsapi.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.engine.gemini.GeminiEngine;
import dev.ttsapi.engine.gemini.GeminiProperties;
import dev.ttsapi.engine.openai.OpenAiEngineProperties;
import dev.ttsapi.engine.openai.OpenAiSpeechEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * The remote engines join the catalog only when configured, with application.yaml's defaults. The
 * variables the defaults read (GEMINI_API_KEY, OPENAI_API_KEY, OPENAI_BASE_URL) are overridden
 * here, so a developer's own keys change nothing.
 */
class RemoteEnginesConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withInitializer(new ConfigDataApplicationContextInitializer())
          .withPropertyValues(
              "tts.engines.gemini.api-key=",
              "tts.engines.openai.api-key=",
              "tts.engines.openai.base-url=")
          .withUserConfiguration(Engines.class);

  @Test
  void without_keys_only_the_local_engines_are_there() {
    runner.run(
        context -> {
          assertThat(context).doesNotHaveBean(GeminiEngine.class);
          assertThat(context).doesNotHaveBean(OpenAiSpeechEngine.class);
          assertThat(context.getBean(VoiceCatalog.class).engine("gemini")).isEmpty();
        });
  }

  @Test
  void a_gemini_key_adds_the_thirty_gemini_voices() {
    runner
        .withPropertyValues("tts.engines.gemini.api-key=some-key")
        .run(
            context -> {
              VoiceCatalog catalog = context.getBean(VoiceCatalog.class);
              assertThat(catalog.engine("gemini")).isPresent();
              assertThat(catalog.voices("en-US").stream().filter(v -> v.engine().equals("gemini")))
                  .hasSize(30);
              assertThat(catalog.resolve("gemini:Kore", "vi").id()).isEqualTo("gemini:Kore");
              // MaryTTS stays the default for English
              assertThat(catalog.resolve(null, "en-US").engine()).isEqualTo("mary");
            });
  }

  @Test
  void a_base_url_alone_adds_the_openai_compatible_engine() {
    runner
        .withPropertyValues("tts.engines.openai.base-url=http://127.0.0.1:8880/v1")
        .run(
            context -> {
              VoiceCatalog catalog = context.getBean(VoiceCatalog.class);
              assertThat(catalog.engine("openai")).isPresent();
              assertThat(catalog.find("openai:alloy")).isPresent();
              assertThat(catalog.voices().stream().filter(v -> v.engine().equals("openai")))
                  .hasSize(11);
            });
  }

  @Test
  void defaults_come_from_application_yaml() {
    runner.run(
        context -> {
          GeminiProperties gemini = context.getBean(GeminiProperties.class);
          assertThat(gemini.enabled()).isFalse();
          assertThat(gemini.model()).isEqualTo("gemini-2.5-flash-preview-tts");
          assertThat(gemini.language()).isEqualTo("en-US");
          assertThat(gemini.maxAttempts()).isEqualTo(4);
          assertThat(gemini.backoffBase()).isEqualTo(Duration.ofSeconds(1));
          assertThat(gemini.maxRetryDelay()).isEqualTo(Duration.ofSeconds(60));
          assertThat(gemini.dailyQuotaPause()).isEqualTo(Duration.ofMinutes(15));
          assertThat(gemini.circuitBreaker().failureThreshold()).isEqualTo(5);
          assertThat(gemini.concurrency().initial()).isEqualTo(4);
          OpenAiEngineProperties openai = context.getBean(OpenAiEngineProperties.class);
          assertThat(openai.enabled()).isFalse();
          assertThat(openai.model()).isEqualTo("gpt-4o-mini-tts");
          assertThat(openai.sampleRate()).isEqualTo(24000);
          assertThat(openai.voices())
              .hasSize(11)
              .contains("alloy:neutral", "coral:female", "onyx:male", "verse:male");
        });
  }

  /** The engine configurations as the application finds them, with MaryTTS stubbed. */
  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties({GeminiProperties.class, OpenAiEngineProperties.class})
  @ComponentScan(basePackages = {"dev.ttsapi.engine.gemini", "dev.ttsapi.engine.openai"})
  static class Engines {
    @Bean
    Clock clock() {
      return Clock.systemUTC();
    }

    @Bean
    SpeechEngine mary() {
      return VoiceCatalogTest.engine(
          "mary", Voice.of("mary", "cmu-slt-hsmm", "en-US", Gender.FEMALE, 48000));
    }

    @Bean
    VoiceCatalog voiceCatalog(List<SpeechEngine> engines) {
      return new VoiceCatalog(engines);
    }
  }
}
