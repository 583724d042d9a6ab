package dev.ttsapi.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {

  @Test
  void splits_on_sentence_boundaries_and_packs_short_sentences() {
    String text = "Hello world. How are you? I am fine! Thanks.";

    assertThat(SentenceSplitter.split(text, 1000)).containsExactly(text);
    assertThat(SentenceSplitter.split(text, 20))
        .containsExactly("Hello world.", "How are you?", "I am fine! Thanks.");
  }

  @Test
  void line_breaks_end_sentences() {
    assertThat(SentenceSplitter.split("Title\nFirst line without stop\n\nNext", 10))
        .containsExactly("Title", "First line", "without", "stop Next");
  }

  @Test
  void long_sentence_is_cut_after_a_comma_before_a_space() {
    String text = "This is a long sentence, with a clause, and another one that goes on";

    List<String> chunks = SentenceSplitter.split(text, 30);

    assertThat(chunks)
        .containsExactly(
            "This is a long sentence,", "with a clause,", "and another one that goes on");
  }

  @Test
  void giant_word_is_cut_hard() {
    String word = "x".repeat(95);

    assertThat(SentenceSplitter.split(word, 40))
        .containsExactly("x".repeat(40), "x".repeat(40), "x".repeat(15));
  }

  @Test
  void hard_cut_never_splits_a_surrogate_pair() {
    String emoji = "\uD83D\uDE00".repeat(10); // 20 chars

    List<String> chunks = SentenceSplitter.split(emoji, 5);

    assertThat(chunks)
        .allSatisfy(
            c -> {
              assertThat(c.length()).isLessThanOrEqualTo(5);
              assertThat(Character.isLowSurrogate(c.charAt(0))).isFalse();
            });
    assertThat(String.join("", chunks)).isEqualTo(emoji);
  }

  @Test
  void vietnamese_sentences_split_with_a_locale() {
    String text = "Xin chào, tôi là trợ lý ảo. Tiếng Việt có dấu.";

    assertThat(SentenceSplitter.split(text, 30, Locale.forLanguageTag("vi")))
        .containsExactly("Xin chào, tôi là trợ lý ảo.", "Tiếng Việt có dấu.");
  }

  @Test
  void blank_text_gives_no_chunks() {
    assertThat(SentenceSplitter.split("  \n ", 10)).isEmpty();
    assertThat(SentenceSplitter.split(null, 10)).isEmpty();
  }

  @Test
  void rejects_a_limit_too_small_to_hold_a_character() {
    assertThatThrownBy(() -> SentenceSplitter.split("abc", 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void chunks_are_bounded_non_blank_and_preserve_all_text_in_order() {
    Random random = new Random(42);
    String[] words = {
      "a",
      "hello",
      "Tiếng",
      "Việt,",
      "world.",
      "why?",
      "x".repeat(70),
      "ok!",
      "\n",
      "3.14",
      "Dr.",
      "e.g.",
      ";"
    };
    for (int round = 0; round < 300; round++) {
      StringBuilder text = new StringBuilder();
      int n = random.nextInt(60);
      for (int i = 0; i < n; i++) {
        text.append(words[random.nextInt(words.length)])
            .append(random.nextInt(5) == 0 ? "  " : " ");
      }
      int max = 2 + random.nextInt(80);

      List<String> chunks = SentenceSplitter.split(TextNormalizer.normalize(text.toString()), max);

      assertThat(chunks)
          .allSatisfy(
              c -> {
                assertThat(c).isNotBlank();
                assertThat(c.length()).isLessThanOrEqualTo(max);
              });
      assertThat(String.join("", chunks).replaceAll("\\s", ""))
          .isEqualTo(text.toString().replaceAll("\\s", ""));
    }
  }
}
