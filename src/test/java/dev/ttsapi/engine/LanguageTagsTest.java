package dev.ttsapi.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LanguageTagsTest {

  @Test
  void spells_tags_conventionally() {
    assertThat(LanguageTags.canonical("en-us")).isEqualTo("en-US");
    assertThat(LanguageTags.canonical("EN_gb")).isEqualTo("en-GB");
    assertThat(LanguageTags.canonical("vi")).isEqualTo("vi");
    assertThat(LanguageTags.canonical("cmn-latn-pinyin")).isEqualTo("cmn-Latn-pinyin");
    assertThat(LanguageTags.canonical("en-gb-x-rp")).isEqualTo("en-GB-x-rp");
    assertThat(LanguageTags.canonical("es-419")).isEqualTo("es-419");
  }

  @Test
  void prefix_matches_whole_subtags_only() {
    assertThat(LanguageTags.hasPrefix("en-US", "en")).isTrue();
    assertThat(LanguageTags.hasPrefix("en-US", "EN-us")).isTrue();
    assertThat(LanguageTags.hasPrefix("eng", "en")).isFalse();
    assertThat(LanguageTags.base("en-GB-x-rp")).isEqualTo("en");
  }
}
