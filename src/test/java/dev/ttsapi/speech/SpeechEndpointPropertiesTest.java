package dev.ttsapi.speech;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.support.ApplicationYaml;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The speech endpoint's defaults, from application.yaml alone, and how an operator adds to them.
 */
class SpeechEndpointPropertiesTest {

  @Test
  void the_defaults_are_the_ones_the_readme_states() throws Exception {
    SpeechEndpointProperties p = bind(ApplicationYaml.environment());

    assertThat(p.voices())
        .containsEntry("alloy", "mary:cmu-slt-hsmm")
        .containsEntry("nova", "en-US-female")
        .containsEntry("echo", "en-US-male")
        .containsEntry("fable", "en-GB-female")
        .hasSize(13);
    assertThat(p.models()).containsExactly("tts-1", "tts-1-hd", "gpt-4o-mini-tts");
    assertThat(p.sampleRate()).isEqualTo(24000);
    assertThat(p.maxInputLength()).isEqualTo(4096);
    assertThat(p.synthesizeLocally()).isTrue();
    assertThat(p.firstChunkTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.chunkTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(p.liveTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(p.workerSlots()).isEqualTo(16);
    assertThat(p.maxStreamsPerUser()).isEqualTo(4);
  }

  @Test
  void an_operators_voice_entries_replace_and_extend_the_default_map() throws Exception {
    StandardEnvironment environment = ApplicationYaml.environment();
    environment
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "operator",
                Map.of(
                    "tts.openai-api.voices.nova", "espeak:en-us",
                    "tts.openai-api.voices.Kid", "en-GB-female")));

    SpeechEndpointProperties p = bind(environment);

    assertThat(p.voices())
        .containsEntry("nova", "espeak:en-us")
        .containsEntry("kid", "en-GB-female")
        .containsEntry("alloy", "mary:cmu-slt-hsmm");
  }

  private static SpeechEndpointProperties bind(StandardEnvironment environment) {
    return Binder.get(environment).bind("tts.openai-api", SpeechEndpointProperties.class).get();
  }
}
