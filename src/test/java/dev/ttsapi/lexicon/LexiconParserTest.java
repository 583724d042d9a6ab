package dev.ttsapi.lexicon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class LexiconParserTest {

  private final LexiconParser parser =
      new LexiconParser(
          new LexiconProperties(4096, 3, 20, 100, 10, 5, 4), JsonMapper.builder().build());

  private List<LexiconRule> pls(String xml) {
    return parser.parse(LexiconFormat.PLS, xml.getBytes(StandardCharsets.UTF_8));
  }

  private List<LexiconRule> json(String body) {
    return parser.parse(LexiconFormat.JSON, body.getBytes(StandardCharsets.UTF_8));
  }

  static final String PLS_HEAD =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
          alphabet="ipa" xml:lang="vi">
      """;

  @Test
  void reads_pls_aliases_phonemes_and_several_graphemes_per_lexeme() {
    List<LexiconRule> rules =
        pls(
            PLS_HEAD
                + """
                  <lexeme><grapheme>TP.HCM</grapheme><grapheme>TPHCM</grapheme>
                    <alias>Thành phố Hồ Chí Minh</alias></lexeme>
                  <lexeme><grapheme>tomato</grapheme><phoneme>təˈmeɪtoʊ</phoneme></lexeme>
                </lexicon>
                """);
    assertThat(rules)
        .containsExactly(
            LexiconRule.alias("TP.HCM", "Thành phố Hồ Chí Minh"),
            LexiconRule.alias("TPHCM", "Thành phố Hồ Chí Minh"),
            LexiconRule.phoneme("tomato", "təˈmeɪtoʊ"));
  }

  @Test
  void decomposed_vietnamese_is_stored_composed() {
    String decomposed = "Ha\u0300 No\u0323\u0302i";
    List<LexiconRule> rules = json("[{\"grapheme\": \"HN\", \"alias\": \"" + decomposed + "\"}]");
    assertThat(rules.getFirst().alias()).isEqualTo("Hà Nội");
  }

  @Test
  void refuses_an_external_entity_without_reading_the_file(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET");
    String xxe =
        """
        <?xml version="1.0"?>
        <!DOCTYPE lexicon [<!ENTITY x SYSTEM "%s">]>
        <lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa">
          <lexeme><grapheme>a</grapheme><alias>&x;</alias></lexeme>
        </lexicon>
        """
            .formatted(secret.toUri());
    assertThatThrownBy(() -> pls(xxe))
        .isInstanceOf(LexiconFormatException.class)
        .hasMessageContaining("DOCTYPE is not allowed")
        .hasMessageNotContaining("TOP-SECRET");
  }

  @Test
  void refuses_entity_expansion_and_parameter_entities() {
    String billionLaughs =
        """
        <?xml version="1.0"?>
        <!DOCTYPE lexicon [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>
        <lexicon xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa">
          <lexeme><grapheme>a</grapheme><alias>&b;</alias></lexeme></lexicon>
        """;
    String parameter =
        """
        <?xml version="1.0"?>
        <!DOCTYPE lexicon [<!ENTITY % p SYSTEM "http://127.0.0.1:1/evil.dtd"> %p;]>
        <lexicon xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"/>
        """;
    assertThatThrownBy(() -> pls(billionLaughs)).hasMessageContaining("DOCTYPE is not allowed");
    assertThatThrownBy(() -> pls(parameter)).hasMessageContaining("DOCTYPE is not allowed");
  }

  @Test
  void malformed_xml_names_line_and_column() {
    assertThatThrownBy(() -> pls(PLS_HEAD + "<lexeme><grapheme>a</lexeme></lexicon>"))
        .hasMessageContaining("line 4, column");
  }

  @Test
  void refuses_what_is_not_a_pls_lexicon() {
    assertThatThrownBy(() -> pls("<speak/>")).hasMessageContaining("root element");
    assertThatThrownBy(() -> pls(PLS_HEAD + "<lexeme><alias>x</alias></lexeme></lexicon>"))
        .hasMessageContaining("lexeme 1 has no <grapheme>");
    assertThatThrownBy(
            () ->
                pls(
                    PLS_HEAD.replace("\"ipa\"", "\"x-sampa\"")
                        + "<lexeme><grapheme>a</grapheme><phoneme>{</phoneme></lexeme></lexicon>"))
        .hasMessageContaining("alphabet 'x-sampa' is not supported");
  }

  @Test
  void json_form_is_strict() {
    assertThat(json("[{\"grapheme\": \"W3C\", \"alias\": \"World Wide Web Consortium\"}]"))
        .containsExactly(LexiconRule.alias("W3C", "World Wide Web Consortium"));
    assertThatThrownBy(() -> json("{\"grapheme\": \"a\"}")).hasMessageContaining("an array");
    assertThatThrownBy(() -> json("[{\"grapheme\": \"a\", \"alais\": \"b\"}]"))
        .hasMessageContaining("[0].alais is not a field");
    assertThatThrownBy(() -> json("[{\"grapheme\": \"a\"}]"))
        .hasMessageContaining("[0] needs an alias or a phoneme");
    assertThatThrownBy(() -> json("[{\"grapheme\": 1, \"alias\": \"b\"}]"))
        .hasMessageContaining("[0].grapheme must be a string");
    assertThatThrownBy(() -> json("[{\"grapheme\": \"a\", \"alias\": \"b\""))
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> json("[]")).hasMessageContaining("no rules");
  }

  @Test
  void limits_are_checked() {
    String four =
        "[{\"grapheme\":\"a\",\"alias\":\"b\"},{\"grapheme\":\"c\",\"alias\":\"d\"},"
            + "{\"grapheme\":\"e\",\"alias\":\"f\"},{\"grapheme\":\"g\",\"alias\":\"h\"}]";
    assertThatThrownBy(() -> json(four)).hasMessageContaining("more than 3 rules");
    assertThatThrownBy(() -> json("[{\"grapheme\":\"" + "x".repeat(21) + "\",\"alias\":\"b\"}]"))
        .hasMessageContaining("grapheme is longer than 20");
    assertThatThrownBy(() -> json("[" + " ".repeat(5000) + "]"))
        .hasMessageContaining("the limit is 4096");
  }
}
