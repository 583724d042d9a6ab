package dev.ttsapi.lexicon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.support.ApplicationYaml;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;

/** The lexicon limits README promises, as application.yaml sets them. */
class LexiconDefaultsTest {

  @Test
  void a_megabyte_of_ten_thousand_rules_a_hundred_per_user_and_five_per_request()
      throws IOException {
    LexiconProperties lexicon =
        Binder.get(ApplicationYaml.environment())
            .bind("tts.lexicon", LexiconProperties.class)
            .get();
    assertThat(lexicon.maxBytes()).isEqualTo(1024 * 1024);
    assertThat(lexicon.maxRules()).isEqualTo(10_000);
    assertThat(lexicon.maxGraphemeLength()).isEqualTo(200);
    assertThat(lexicon.maxReplacementLength()).isEqualTo(1000);
    assertThat(lexicon.maxPerUser()).isEqualTo(100);
    assertThat(lexicon.maxPerRequest()).isEqualTo(5);
    assertThat(lexicon.maxExpansion()).isEqualTo(4);
  }
}
