package dev.ttsapi.lexicon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.lexicon.LexiconMatcher.PhonemeWriter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LexiconMatcherTest {

  private static String apply(String text, List<LexiconRule>... lexicons) {
    return new LexiconMatcher(List.of(lexicons)).apply(text, PhonemeWriter.NONE).replaced();
  }

  @Test
  void replaces_whole_words_only() {
    List<LexiconRule> rules = List.of(LexiconRule.alias("cat", "kitty"));
    assertThat(apply("cat, concat, cats and a cat.", rules))
        .isEqualTo("kitty, concat, cats and a kitty.");
  }

  @Test
  void lower_case_grapheme_matches_any_case_and_capitalised_one_only_as_written() {
    List<LexiconRule> rules =
        List.of(LexiconRule.alias("tomato", "TOMAYTO"), LexiconRule.alias("US", "United States"));
    assertThat(apply("Tomato tomato TOMATO; us and the US", rules))
        .isEqualTo("TOMAYTO TOMAYTO TOMAYTO; us and the United States");
  }

  @Test
  void vietnamese_diacritics_are_letters_for_the_boundaries_and_stay_intact() {
    List<LexiconRule> rules =
        List.of(
            LexiconRule.alias("TP.HCM", "Thành phố Hồ Chí Minh"),
            LexiconRule.alias("hà", "sông Hà"));
    assertThat(apply("Tôi sống ở TP.HCM, gần Hà Nội và hàng.", rules))
        .isEqualTo("Tôi sống ở Thành phố Hồ Chí Minh, gần sông Hà Nội và hàng.");
  }

  @Test
  void accented_capital_letters_match_case_insensitively() {
    List<LexiconRule> rules = List.of(LexiconRule.alias("đường", "con đường"));
    assertThat(apply("ĐƯỜNG và Đường", rules)).isEqualTo("con đường và con đường");
  }

  @Test
  void grapheme_with_punctuation_edges_needs_no_boundary_there() {
    List<LexiconRule> rules = List.of(LexiconRule.alias("C++", "C plus plus"));
    assertThat(apply("I write C++.", rules)).isEqualTo("I write C plus plus.");
  }

  @Test
  void longest_grapheme_wins_within_a_lexicon() {
    List<LexiconRule> rules =
        List.of(LexiconRule.alias("New York", "N Y"), LexiconRule.alias("New York City", "N Y C"));
    assertThat(apply("New York City and New York", rules)).isEqualTo("N Y C and N Y");
  }

  @Test
  void earlier_lexicon_wins_at_the_same_place_and_leftmost_match_wins_overall() {
    List<LexiconRule> first = List.of(LexiconRule.alias("HCM", "first"));
    List<LexiconRule> second =
        List.of(LexiconRule.alias("HCM", "second"), LexiconRule.alias("TP.HCM", "city"));
    assertThat(apply("HCM", first, second)).isEqualTo("first");
    assertThat(apply("TP.HCM", first, second)).isEqualTo("city");
  }

  @Test
  void replacements_are_not_matched_again() {
    List<LexiconRule> rules = List.of(LexiconRule.alias("a", "a b"), LexiconRule.alias("b", "a"));
    assertThat(apply("a b", rules)).isEqualTo("a b a");
  }

  @Test
  void phoneme_rules_use_the_engine_writer_else_the_alias_else_are_counted_as_dropped() {
    LexiconMatcher matcher =
        new LexiconMatcher(
            List.of(
                List.of(
                    new LexiconRule("tomato", "tomahto", "təˈmeɪtoʊ"),
                    LexiconRule.phoneme("route", "ruːt"))));
    LexiconMatcher.Result none = matcher.apply("tomato route route", PhonemeWriter.NONE);
    assertThat(none.replaced()).isEqualTo("tomahto route route");
    assertThat(none.applied()).isEqualTo(1);
    assertThat(none.phonemeRulesDropped()).isEqualTo(2);

    LexiconMatcher.Result written =
        matcher.apply("tomato route", ipa -> Optional.of("<" + ipa + ">"));
    assertThat(written.replaced()).isEqualTo("<təˈmeɪtoʊ> <ruːt>");
    assertThat(written.applied()).isEqualTo(2);
    assertThat(written.phonemeRulesDropped()).isZero();
  }

  @Test
  void digits_are_word_characters() {
    List<LexiconRule> rules = List.of(LexiconRule.alias("4", "four"));
    assertThat(apply("4 and 42", rules)).isEqualTo("four and 42");
  }
}
