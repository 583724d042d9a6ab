package dev.ttsapi.ssml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttsapi.ssml.SsmlPiece.Mark;
import dev.ttsapi.ssml.SsmlPiece.Pause;
import dev.ttsapi.ssml.SsmlPiece.Words;
import org.junit.jupiter.api.Test;

class SsmlParserTest {

  private static SsmlDocument en(String ssml) {
    return Ssml.parse(ssml, "en-US");
  }

  @Test
  void sentences_breaks_and_marks_come_out_in_speaking_order() {
    SsmlDocument doc =
        en(
            """
            <speak><p><s>Hello there.</s><s>Second <mark name="m1"/>part.</s></p>
            <break time="750ms"/><break strength="strong"/>End.</speak>""");
    assertThat(doc.pieces())
        .containsExactly(
            new Words("Hello there.", Prosody.NEUTRAL, null, null),
            new Words("Second", Prosody.NEUTRAL, null, null),
            new Mark("m1"),
            new Words("part.", Prosody.NEUTRAL, null, null),
            new Pause(1500),
            new Words("End.", Prosody.NEUTRAL, null, null));
    assertThat(doc.spokenText()).isEqualTo("Hello there. Second part. End.");
    assertThat(doc.features()).containsExactly("speak", "p", "s", "mark", "break");
  }

  @Test
  void prosody_and_emphasis_nest_per_span() {
    SsmlDocument doc =
        en(
            "<speak>a <prosody rate=\"50%\" pitch=\"+2st\" volume=\"-6dB\">b <prosody"
                + " rate=\"x-fast\">c</prosody></prosody> <emphasis level=\"strong\">d</emphasis></speak>");
    assertThat(doc.pieces())
        .containsExactly(
            new Words("a", Prosody.NEUTRAL, null, null),
            new Words("b", new Prosody(0.5, 2, -6), null, null),
            new Words("c", new Prosody(0.875, 2, -6), null, null),
            new Words("d", new Prosody(0.85, 2, 4), null, null));
  }

  @Test
  void say_as_speaks_english_words() {
    SsmlDocument doc =
        en(
            "<speak><say-as interpret-as=\"cardinal\">1,234</say-as>; <say-as"
                + " interpret-as=\"ordinal\">21st</say-as>; <say-as interpret-as=\"date\""
                + " format=\"mdy\">9/2/1945</say-as>; <say-as interpret-as=\"time\">14:05</say-as>;"
                + " <say-as interpret-as=\"digits\">407</say-as>; <say-as"
                + " interpret-as=\"characters\">ab1</say-as>; <say-as"
                + " interpret-as=\"telephone\">+1 555-0100</say-as>; <sub alias=\"World Wide Web"
                + " Consortium\">W3C</sub></speak>");
    assertThat(doc.spokenText())
        .isEqualTo(
            "one thousand two hundred thirty-four ; twenty-first ; September second, nineteen"
                + " forty-five ; fourteen oh five ; four zero seven ; A B one ; plus, one, five five"
                + " five, zero one zero zero ; World Wide Web Consortium");
  }

  @Test
  void say_as_speaks_vietnamese_words() {
    SsmlDocument doc =
        Ssml.parse(
            "<speak>Hôm nay là <say-as interpret-as=\"date\">2/9/1945</say-as>, <say-as"
                + " interpret-as=\"cardinal\">1005</say-as>, <say-as"
                + " interpret-as=\"cardinal\">21</say-as>, <say-as"
                + " interpret-as=\"cardinal\">115</say-as>, <say-as"
                + " interpret-as=\"ordinal\">4</say-as>, <say-as"
                + " interpret-as=\"time\">14:30</say-as>.</speak>",
            "vi");
    assertThat(doc.spokenText())
        .isEqualTo(
            "Hôm nay là ngày hai tháng chín năm một nghìn chín trăm bốn mươi lăm , một nghìn không"
                + " trăm linh năm , hai mươi mốt , một trăm mười lăm , thứ tư , mười bốn giờ ba mươi"
                + " phút .");
  }

  @Test
  void lang_switches_say_as_language_and_is_its_own_piece() {
    SsmlDocument doc =
        en(
            "<speak>It is <lang xml:lang=\"vi\">số <say-as"
                + " interpret-as=\"cardinal\">25</say-as></lang> now.</speak>");
    assertThat(doc.pieces())
        .containsExactly(
            new Words("It is", Prosody.NEUTRAL, null, null),
            new Words("số hai mươi lăm", Prosody.NEUTRAL, "vi", null),
            new Words("now.", Prosody.NEUTRAL, null, null));
    assertThat(doc.features()).contains("lang vi");
  }

  @Test
  void phoneme_keeps_its_ipa_and_its_text() {
    SsmlDocument doc =
        en("<speak>I say <phoneme alphabet=\"ipa\" ph=\"təˈmɑːtoʊ\">tomato</phoneme>.</speak>");
    assertThat(doc.pieces()).contains(new Words("tomato", Prosody.NEUTRAL, null, "təˈmɑːtoʊ"));
    assertThat(Ssml.enginePhonemes("espeak", "en-US", "təˈmɑːtoʊ")).contains("t@'mA:toU");
    assertThat(Ssml.enginePhonemes("mary", "en-US", "təˈmɑːtoʊ")).contains("t @ - ' m A - t @U");
    assertThat(Ssml.enginePhonemes("gemini", "en-US", "təˈmɑːtoʊ")).isEmpty();
    assertThat(Ssml.enginePhonemes("espeak", "en-US", "ʔa")).isEmpty();
  }

  @Test
  void report_says_what_each_engine_honours_and_drops() {
    SsmlDocument doc =
        en(
            "<speak><voice name=\"x\">Hi</voice> <phoneme ph=\"təˈmɑːtoʊ\">tomato</phoneme> <lang"
                + " xml:lang=\"vi\">xin chào</lang> <say-as interpret-as=\"unit\">5kg</say-as></speak>");
    SsmlReport espeak = Ssml.report(doc, "espeak", "en-US", lang -> lang.equals("vi"));
    assertThat(espeak.honoured()).containsExactly("speak", "phoneme", "lang vi");
    assertThat(espeak.dropped())
        .extracting(SsmlReport.Dropped::feature)
        .containsExactly("voice", "say-as unit");
    SsmlReport gemini = Ssml.report(doc, "gemini", "en-US", lang -> false);
    assertThat(gemini.honoured()).containsExactly("speak");
    assertThat(gemini.dropped())
        .extracting(SsmlReport.Dropped::feature)
        .containsExactly("voice", "phoneme /təˈmɑːtoʊ/", "lang vi", "say-as unit");
  }

  @Test
  void malformed_ssml_names_line_and_column() {
    assertThatThrownBy(() -> en("<speak>\n  <s>one</p>\n</speak>"))
        .isInstanceOfSatisfying(
            InvalidSsmlException.class,
            e -> {
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.column()).isGreaterThan(1);
            });
    assertThatThrownBy(() -> en("<speak>\n<break time=\"11s\"/></speak>"))
        .isInstanceOfSatisfying(
            InvalidSsmlException.class,
            e -> assertThat(e.getMessage()).contains("line 2").contains("longer than 10s"));
    assertThatThrownBy(() -> en("<p>not speak</p>"))
        .hasMessageContaining("root element must be <speak>");
    assertThatThrownBy(() -> en("<speak><prosody rate=\"fastest\">x</prosody></speak>"))
        .hasMessageContaining("prosody rate");
  }

  @Test
  void doctype_entities_and_external_references_are_refused() {
    String xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE speak [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
            + "<speak>&xxe;</speak>";
    String laughs =
        "<!DOCTYPE speak [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
            + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><speak>&c;&c;&c;</speak>";
    String external = "<!DOCTYPE speak SYSTEM \"http://127.0.0.1:1/x.dtd\"><speak>hi</speak>";
    String undeclared = "<speak>&nbsp;x</speak>";
    for (String hostile : new String[] {xxe, laughs, external, undeclared}) {
      assertThatThrownBy(() -> en(hostile)).isInstanceOf(InvalidSsmlException.class);
    }
    assertThat(en("<speak>a &amp; b &lt; c &#233;</speak>").spokenText()).isEqualTo("a & b < c é");
  }

  @Test
  void speak_root_is_detected_in_plain_text() {
    assertThat(Ssml.looksLikeSsml("  <speak>hi</speak>")).isTrue();
    assertThat(Ssml.looksLikeSsml("<?xml version=\"1.0\"?>\n<speak version=\"1.1\">hi</speak>"))
        .isTrue();
    assertThat(Ssml.looksLikeSsml("I <speak> often")).isFalse();
    assertThat(Ssml.looksLikeSsml("<speaker>x</speaker>")).isFalse();
    assertThat(Ssml.looksLikeSsml("<!DOCTYPE speak [<!ENTITY a \"b\">]><speak>&a;</speak>"))
        .as("a DOCTYPE before <speak> is SSML, and refused as such")
        .isTrue();
  }
}
