package dev.ttsapi.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttsapi.audio.Pcm;
import java.util.List;
import org.junit.jupiter.api.Test;

class VoiceCatalogTest {

  /** What this machine has: Mary's one voice and a few espeak-ng voices. */
  private final VoiceCatalog catalog =
      new VoiceCatalog(
          List.of(
              engine(
                  "espeak",
                  Voice.of("espeak", "vi", "vi", Gender.MALE, 22050),
                  Voice.of("espeak", "en-us", "en-US", Gender.MALE, 22050),
                  Voice.of("espeak", "en-gb", "en-GB", Gender.MALE, 22050),
                  Voice.of("espeak", "en-gb-x-rp", "en-GB-x-rp", Gender.MALE, 22050),
                  Voice.of("espeak", "de", "de", Gender.MALE, 22050)),
              engine("mary", Voice.of("mary", "cmu-slt-hsmm", "en-US", Gender.FEMALE, 48000))));

  private final VoiceCatalog maryOnly =
      new VoiceCatalog(
          List.of(engine("mary", Voice.of("mary", "cmu-slt-hsmm", "en-US", Gender.FEMALE, 48000))));

  @Test
  void exact_id_resolves_to_that_voice() {
    assertThat(catalog.resolve("mary:cmu-slt-hsmm", null).id()).isEqualTo("mary:cmu-slt-hsmm");
    assertThat(catalog.resolve("espeak:vi", "en-US").id()).isEqualTo("espeak:vi");
    assertThat(catalog.resolve("ESPEAK:EN-GB", null).id()).isEqualTo("espeak:en-gb");
  }

  @Test
  void unknown_engine_names_the_engine_and_lists_what_exists() {
    assertThatThrownBy(() -> catalog.resolve("gemini:Kore", null))
        .isInstanceOfSatisfying(
            UnknownVoiceException.class,
            e -> {
              assertThat(e.getMessage())
                  .contains("engine 'gemini'")
                  .contains("espeak")
                  .contains("mary");
              assertThat(e.voice()).isEqualTo("gemini:Kore");
              assertThat(e.availableEngines()).containsExactly("mary", "espeak");
              assertThat(e.availableVoices()).contains("mary:cmu-slt-hsmm", "espeak:vi");
              assertThat(e.availableLanguages()).contains("en-US", "vi");
            });
  }

  @Test
  void unknown_voice_of_an_installed_engine_names_the_voice() {
    assertThatThrownBy(() -> catalog.resolve("mary:cmu-bdl-hsmm", null))
        .isInstanceOf(UnknownVoiceException.class)
        .hasMessageContaining("'cmu-bdl-hsmm'")
        .hasMessageContaining("mary:cmu-slt-hsmm");
  }

  @Test
  void google_female_us_name_resolves_to_mary() {
    assertThat(catalog.resolve("en-US-Wavenet-F", null).id()).isEqualTo("mary:cmu-slt-hsmm");
    assertThat(catalog.resolve("en-US-Neural2-C", "vi").id()).isEqualTo("mary:cmu-slt-hsmm");
  }

  @Test
  void google_male_us_name_resolves_to_a_male_us_voice() {
    assertThat(catalog.resolve("en-US-Wavenet-D", null).id()).isEqualTo("espeak:en-us");
    assertThat(catalog.resolve("en-US-Neural2-J", null).id()).isEqualTo("espeak:en-us");
  }

  @Test
  void british_name_prefers_the_exact_language() {
    assertThat(catalog.resolve("en-GB-Standard-B", null).id()).isEqualTo("espeak:en-gb");
  }

  @Test
  void without_a_voice_of_that_gender_another_voice_of_the_language_speaks() {
    assertThat(maryOnly.resolve("en-US-Wavenet-D", null).id()).isEqualTo("mary:cmu-slt-hsmm");
    assertThat(maryOnly.resolve("en-GB-Standard-B", null).id()).isEqualTo("mary:cmu-slt-hsmm");
  }

  @Test
  void regional_variant_falls_back_to_the_base_language() {
    assertThat(catalog.resolve("en-AU-Wavenet-A", null).id()).isEqualTo("mary:cmu-slt-hsmm");
    assertThat(catalog.resolve(null, "vi-VN").id()).isEqualTo("espeak:vi");
  }

  @Test
  void gender_words_resolve_with_the_requested_language() {
    assertThat(catalog.resolve("male", "en-US").id()).isEqualTo("espeak:en-us");
    assertThat(catalog.resolve("some-female-voice", "en-US").id()).isEqualTo("mary:cmu-slt-hsmm");
    assertThat(catalog.resolve("female", null).id()).isEqualTo("mary:cmu-slt-hsmm");
  }

  @Test
  void engine_voice_name_alone_resolves() {
    assertThat(catalog.resolve("cmu-slt-hsmm", null).id()).isEqualTo("mary:cmu-slt-hsmm");
    assertThat(catalog.resolve("en-gb-x-rp", null).id()).isEqualTo("espeak:en-gb-x-rp");
  }

  @Test
  void no_voice_gives_the_best_voice_for_the_language() {
    assertThat(catalog.resolve(null, "en-US").id()).isEqualTo("mary:cmu-slt-hsmm");
    assertThat(catalog.resolve("  ", "en").id()).isEqualTo("mary:cmu-slt-hsmm");
    assertThat(catalog.resolve("", "en-GB").id()).isEqualTo("espeak:en-gb");
    assertThat(catalog.resolve(null, "vi").id()).isEqualTo("espeak:vi");
    assertThat(catalog.resolve(null, null).id()).isEqualTo("mary:cmu-slt-hsmm");
  }

  @Test
  void unknown_language_lists_the_languages_that_exist() {
    assertThatThrownBy(() -> catalog.resolve(null, "fr-FR"))
        .isInstanceOfSatisfying(
            UnknownLanguageException.class,
            e -> {
              assertThat(e.language()).isEqualTo("fr-FR");
              assertThat(e.availableLanguages())
                  .containsExactly("de", "en-GB", "en-GB-x-rp", "en-US", "vi");
              assertThat(e.getMessage()).contains("fr-FR").contains("en-US");
            });
    assertThatThrownBy(() -> catalog.resolve("fr-FR-Wavenet-A", null))
        .isInstanceOf(UnknownLanguageException.class);
  }

  @Test
  void meaningless_name_is_an_unknown_voice() {
    assertThatThrownBy(() -> catalog.resolve("Bob", "en-US"))
        .isInstanceOf(UnknownVoiceException.class);
  }

  @Test
  void language_filter_matches_prefixes_case_insensitively() {
    assertThat(catalog.voices("EN").stream().map(Voice::id))
        .containsExactly("mary:cmu-slt-hsmm", "espeak:en-gb", "espeak:en-gb-x-rp", "espeak:en-us");
    assertThat(catalog.voices("en-gb").stream().map(Voice::id))
        .containsExactly("espeak:en-gb", "espeak:en-gb-x-rp");
    assertThat(catalog.voices("e")).isEmpty();
    assertThat(catalog.voices(null)).hasSize(6);
  }

  @Test
  void lists_engines_preferred_first_and_finds_their_voices() {
    assertThat(catalog.engines().stream().map(SpeechEngine::id)).containsExactly("mary", "espeak");
    Voice vi = catalog.resolve("espeak:vi", null);
    assertThat(catalog.engineFor(vi).id()).isEqualTo("espeak");
  }

  @Test
  void google_letters_map_to_genders() {
    assertThat(VoiceCatalog.genderOf("en-US-Wavenet-F", "Wavenet-F")).isEqualTo(Gender.FEMALE);
    assertThat(VoiceCatalog.genderOf("en-US-Wavenet-B", "Wavenet-B")).isEqualTo(Gender.MALE);
    assertThat(VoiceCatalog.genderOf("en-US-JennyNeural", "JennyNeural")).isNull();
    assertThat(VoiceCatalog.genderOf("en-US-Chirp3-HD-Aoede", "Chirp3-HD-Aoede")).isNull();
  }

  static SpeechEngine engine(String id, Voice... voices) {
    return new SpeechEngine() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public String version() {
        return "test";
      }

      @Override
      public List<Voice> voices() {
        return List.of(voices);
      }

      @Override
      public Pcm synthesize(String text, Voice voice, SpeechSettings settings) {
        return new Pcm(new byte[0], voice.sampleRate());
      }
    };
  }
}
