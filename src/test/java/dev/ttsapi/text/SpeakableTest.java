package dev.ttsapi.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.Character.UnicodeScript;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpeakableTest {

  private static final Set<UnicodeScript> LATIN = Set.of(UnicodeScript.LATIN);

  @ParameterizedTest
  @ValueSource(strings = {"😀🎉🔊", "!!! ??? ...", "★ ☆ ♥ → ©", "$ % & @ #", "…", "\u0301"})
  void punctuation_symbols_emoji_and_lone_marks_hold_no_words(String text) {
    assertThat(Speakable.hasWords(text)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"12345", "3.14", "½", "Xin chào các bạn", "ñ", "2+2=4 😀"})
  void numbers_and_latin_letters_are_words_for_a_latin_voice(String text) {
    assertThat(Speakable.hasWords(text, LATIN)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"你好世界", "Привет мир", "مرحبا", "こんにちは", "٣٤٥"})
  void letters_and_digits_of_other_scripts_are_words_only_for_voices_reading_every_script(
      String text) {
    assertThat(Speakable.hasWords(text, LATIN)).isFalse();
    assertThat(Speakable.hasWords(text)).isTrue();
  }

  @Test
  void the_scripts_of_a_text_are_those_of_its_letters_and_numbers() {
    assertThat(Speakable.scriptsOf("你好, Привет! 😀"))
        .containsExactly(UnicodeScript.CYRILLIC, UnicodeScript.HAN);
  }

  @ParameterizedTest
  @ValueSource(strings = {"你好 2024", "你好 hello"})
  void a_number_or_a_latin_word_among_other_scripts_is_enough(String text) {
    assertThat(Speakable.hasWords(text, LATIN)).isTrue();
  }
}
