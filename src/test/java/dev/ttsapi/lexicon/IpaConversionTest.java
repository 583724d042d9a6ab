package dev.ttsapi.lexicon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.engine.PhonemeMarkup;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class IpaConversionTest {

  private static String unwrap(String span) {
    return PhonemeMarkup.render(span, Function.identity(), p -> p);
  }

  @Test
  void ipa_becomes_espeak_mnemonics() {
    assertThat(IpaConversion.toEspeak("təˈmeɪtoʊ").map(IpaConversionTest::unwrap))
        .contains("t@'meItoU");
    assertThat(IpaConversion.toEspeak("ˈnuː ˈjɔːk").map(IpaConversionTest::unwrap))
        .contains("'nu: 'jO:k");
  }

  @Test
  void ipa_becomes_mary_syllables_with_stress() {
    assertThat(IpaConversion.toMary("təˈmeɪtoʊ").map(IpaConversionTest::unwrap))
        .contains("t @ - ' m EI - t @U");
    assertThat(IpaConversion.toMary("ˈwɔtɚ").map(IpaConversionTest::unwrap))
        .contains("' w O - t r=");
    assertThat(IpaConversion.toMary("kæts").map(IpaConversionTest::unwrap)).contains("k { t s");
  }

  @Test
  void unknown_symbols_are_not_converted_at_all() {
    assertThat(IpaConversion.toEspeak("ʈʂʰ")).isEmpty();
    assertThat(IpaConversion.toMary("ˈnuː ˈjɔːk")).isEmpty();
    assertThat(IpaConversion.toEspeak("ˈ")).isEmpty();
  }
}
