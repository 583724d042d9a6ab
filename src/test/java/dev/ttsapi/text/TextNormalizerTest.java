package dev.ttsapi.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;

class TextNormalizerTest {

  @Test
  void keeps_vietnamese_diacritics_intact() {
    String text = "Xin chào, tôi là trợ lý ảo. Tiếng Việt có dấu.";

    assertThat(TextNormalizer.normalize(text)).isEqualTo(text);
  }

  @Test
  void composes_decomposed_text_to_nfc() {
    String decomposed = Normalizer.normalize("Tiếng Việt có dấu", Normalizer.Form.NFD);

    String normalized = TextNormalizer.normalize(decomposed);

    assertThat(normalized).isEqualTo("Tiếng Việt có dấu");
    assertThat(Normalizer.isNormalized(normalized, Normalizer.Form.NFC)).isTrue();
  }

  @Test
  void collapses_whitespace_and_trims() {
    assertThat(TextNormalizer.normalize("  Hello \t\t world  \u00A0 again\u2003 "))
        .isEqualTo("Hello world again");
  }

  @Test
  void removes_control_and_invisible_characters() {
    assertThat(TextNormalizer.normalize("\uFEFFHel\u0000lo\u200B wor\u0007ld\u001B"))
        .isEqualTo("Hello world");
  }

  @Test
  void keeps_line_breaks_as_hints() {
    assertThat(TextNormalizer.normalize("One.  \r\n  Two.\r\n\r\n\n Three.\rFour."))
        .isEqualTo("One.\nTwo.\n\nThree.\nFour.");
  }

  @Test
  void null_and_blank_become_empty() {
    assertThat(TextNormalizer.normalize(null)).isEmpty();
    assertThat(TextNormalizer.normalize(" \n\t ")).isEmpty();
  }

  @Test
  void is_idempotent() {
    String once = TextNormalizer.normalize(" a\t b \n\n\n c \u0301 d ");

    assertThat(TextNormalizer.normalize(once)).isEqualTo(once);
  }
}
