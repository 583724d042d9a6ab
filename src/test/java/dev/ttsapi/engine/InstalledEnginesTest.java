package dev.ttsapi.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.engine.espeak.EspeakEngine;
import dev.ttsapi.engine.mary.SharedMaryEngine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/** The catalog over the engines really installed here: MaryTTS, and espeak-ng when present. */
class InstalledEnginesTest {

  private static VoiceCatalog installed() {
    List<SpeechEngine> engines = new ArrayList<>(List.of(SharedMaryEngine.get()));
    EspeakEngine.detect().ifPresent(engines::add);
    return new VoiceCatalog(engines);
  }

  @Test
  void google_female_us_voice_is_mary() {
    assertThat(installed().resolve("en-US-Wavenet-F", "en-US").id()).isEqualTo("mary:cmu-slt-hsmm");
  }

  @Test
  void google_male_us_voice_is_espeak_when_installed() {
    Assumptions.assumeTrue(EspeakEngine.findOnPath().isPresent(), "espeak-ng is not installed");

    Voice voice = installed().resolve("en-US-Wavenet-D", "en-US");

    assertThat(voice.id()).isEqualTo("espeak:en-us");
    assertThat(voice.gender()).isEqualTo(Gender.MALE);
    assertThat(installed().resolve("en-GB-Standard-B", null).id()).isEqualTo("espeak:en-gb");
    assertThat(installed().resolve(null, "vi").id()).isEqualTo("espeak:vi");
  }

  @Test
  void spring_configuration_offers_the_engines_and_a_catalog() {
    try (var context = new AnnotationConfigApplicationContext(SpeechEngineConfiguration.class)) {
      VoiceCatalog catalog = context.getBean(VoiceCatalog.class);

      assertThat(catalog.engines().getFirst().id()).isEqualTo("mary");
      assertThat(catalog.engines()).hasSize(EspeakEngine.findOnPath().isPresent() ? 2 : 1);
    }
  }
}
