package dev.ttsapi.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** A period after an abbreviation does not end a sentence, in English or Vietnamese. */
class AbbreviationTest {

  @Test
  void mr_does_not_end_an_english_sentence() {
    // A limit that fits one sentence but not two shows where sentences end.
    assertThat(
            SentenceSplitter.split(
                "Mr. Smith went to Washington. Dr. Jones stayed home.", 32, Locale.ENGLISH))
        .containsExactly("Mr. Smith went to Washington.", "Dr. Jones stayed home.");
  }

  @Test
  void tp_does_not_end_a_vietnamese_sentence() {
    assertThat(
            SentenceSplitter.split(
                "Tôi sống ở TP. Hồ Chí Minh. Anh ấy ở Q. 1 Hà Nội.",
                28,
                Locale.forLanguageTag("vi")))
        .containsExactly("Tôi sống ở TP. Hồ Chí Minh.", "Anh ấy ở Q. 1 Hà Nội.");
  }

  @Test
  void vietnamese_question_and_exclamation_marks_end_sentences() {
    assertThat(
            SentenceSplitter.split(
                "Bạn khỏe không? Tôi khỏe! Cảm ơn.", 16, Locale.forLanguageTag("vi")))
        .containsExactly("Bạn khỏe không?", "Tôi khỏe!", "Cảm ơn.");
  }
}
