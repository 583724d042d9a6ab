package dev.ttsapi.speech;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiApiPropertiesTest {

  @Test
  void unset_keys_take_the_defaults() {
    OpenAiApiProperties p = new OpenAiApiProperties(null, null, 0, null, null, null, null, 0, 0);

    assertThat(p.voices()).isEqualTo(OpenAiApiProperties.DEFAULT_VOICES);
    assertThat(p.models()).containsExactly("tts-1", "tts-1-hd", "gpt-4o-mini-tts");
    assertThat(p.sampleRate()).isEqualTo(24000);
    assertThat(p.synthesizeLocally()).isTrue();
    assertThat(p.firstChunkTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.chunkTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(p.liveTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(p.workerSlots()).isEqualTo(16);
    assertThat(p.maxStreamsPerUser()).isEqualTo(4);
  }

  @Test
  void configured_voices_override_and_extend_the_built_in_map() {
    OpenAiApiProperties p =
        new OpenAiApiProperties(
            Map.of("Nova", "espeak:en-us", "kid", "en-GB-female"),
            null,
            0,
            false,
            null,
            null,
            null,
            0,
            0);

    assertThat(p.voices())
        .containsEntry("nova", "espeak:en-us")
        .containsEntry("kid", "en-GB-female")
        .containsEntry("alloy", "mary:cmu-slt-hsmm");
    assertThat(p.synthesizeLocally()).isFalse();
  }
}
