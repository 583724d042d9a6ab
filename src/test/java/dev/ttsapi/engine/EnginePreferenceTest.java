package dev.ttsapi.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.audio.Pcm;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which engine's voice a language-only request gets is a setting. */
class EnginePreferenceTest {

  record FakeEngine(String id, List<Voice> voices) implements SpeechEngine {
    @Override
    public String version() {
      return "1";
    }

    @Override
    public Pcm synthesize(String text, Voice voice, SpeechSettings settings) {
      throw new UnsupportedOperationException("catalog test");
    }
  }

  private static final List<SpeechEngine> ENGINES =
      List.of(
          new FakeEngine("alpha", List.of(Voice.of("alpha", "an", "vi", Gender.FEMALE, 22050))),
          new FakeEngine("beta", List.of(Voice.of("beta", "bao", "vi", Gender.FEMALE, 24000))));

  @Test
  void language_only_request_gets_the_voice_of_the_most_preferred_engine() {
    assertThat(new VoiceCatalog(ENGINES, List.of("beta", "alpha")).resolve(null, "vi-VN").id())
        .isEqualTo("beta:bao");
    assertThat(new VoiceCatalog(ENGINES, List.of("alpha", "beta")).resolve(null, "vi-VN").id())
        .isEqualTo("alpha:an");
  }

  @Test
  void engines_not_named_come_after_the_named_ones() {
    assertThat(new VoiceCatalog(ENGINES, List.of("beta")).resolve(null, "vi").id())
        .isEqualTo("beta:bao");
    assertThat(new VoiceCatalog(ENGINES, List.of()).resolve(null, "vi").id()).isEqualTo("alpha:an");
  }
}
