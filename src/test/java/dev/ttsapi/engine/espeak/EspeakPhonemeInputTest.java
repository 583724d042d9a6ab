package dev.ttsapi.engine.espeak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.engine.PhonemeMarkup;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.Voice;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A lexicon's pronunciation reaches espeak-ng as its phoneme input; a client's cannot. */
class EspeakPhonemeInputTest {

  private static final String LONG_WORD = "su:p3kalIfradZIlIstIkEkspi:'A:lIdoUS@s";

  @Test
  void only_lexicon_spans_become_phoneme_input() {
    assertThat(EspeakEngine.input("say [[x]] " + PhonemeMarkup.wrap("h@'loU w3:ld") + "."))
        .isEqualTo("say [ [x]] [[h@'loU w3:ld]].");
    assertThat(EspeakEngine.input("[" + PhonemeMarkup.wrap("a"))).isEqualTo("[ [[a]]");
  }

  @Test
  void no_run_of_brackets_in_a_clients_text_opens_phoneme_input() {
    assertThat(EspeakEngine.input("[[[x]]")).isEqualTo("[ [ [x]]").doesNotContain("[[");
    assertThat(EspeakEngine.input("a [[[[ b")).doesNotContain("[[");
  }

  @Test
  void word_positions_espeak_reports_map_back_to_the_chunks_characters() {
    String chunk = "say [[x]] " + PhonemeMarkup.wrap("h@'loU w3:ld") + " Việt 🍕 nam.";
    EspeakInput input = EspeakInput.of(chunk);
    int markStart = chunk.indexOf('\u0001');
    int markEnd = chunk.indexOf('\u0002') + 1;

    // espeak-ng counts code points from 1: "say" is 1..3, "[" at 5 stands for the client's "["
    assertThat(input.chunkSpan(1, 3)).containsExactly(0, 3);
    assertThat(input.chunkSpan(5, 1)).containsExactly(4, 5);
    // every character of the phoneme input stands for the whole pronunciation span
    int phonemeInput = input.text().indexOf("[[h@") + 1;
    assertThat(input.chunkSpan(phonemeInput + 2, 5)).containsExactly(markStart, markEnd);
    // after the span, a diacritic word and a character outside the basic plane
    int viet = input.text().codePointCount(0, input.text().indexOf("Việt")) + 1;
    assertThat(input.chunkSpan(viet, 4))
        .containsExactly(chunk.indexOf("Việt"), chunk.indexOf("Việt") + 4);
    int nam = input.text().codePointCount(0, input.text().indexOf("nam")) + 1;
    assertThat(input.chunkSpan(nam, 3))
        .containsExactly(chunk.indexOf("nam"), chunk.indexOf("nam") + 3);
    int pizza = input.text().codePointCount(0, input.text().indexOf("🍕")) + 1;
    assertThat(input.chunkSpan(pizza, 1))
        .containsExactly(chunk.indexOf("🍕"), chunk.indexOf("🍕") + 2);
    assertThat(input.chunkSpan(0, 1)).isNull();
    assertThat(input.chunkSpan(10_000, 1)).isNull();
  }

  @Test
  void speaks_the_phonemes_instead_of_the_word() {
    Optional<EspeakEngine> found = EspeakEngine.detect();
    Assumptions.assumeTrue(found.isPresent(), "espeak-ng is not installed");
    EspeakEngine espeak = found.get();
    Voice voice =
        espeak.voices().stream().filter(v -> v.name().equals("en-us")).findFirst().orElseThrow();
    Pcm plain = espeak.synthesize("I said bob.", voice, SpeechSettings.NORMAL);
    Pcm spoken =
        espeak.synthesize(
            "I said " + PhonemeMarkup.wrap(LONG_WORD) + ".", voice, SpeechSettings.NORMAL);
    Pcm written = espeak.synthesize("I said [[" + LONG_WORD + "]].", voice, SpeechSettings.NORMAL);

    assertThat(spoken.durationSeconds()).isGreaterThan(plain.durationSeconds() + 1.0);
    // the same characters typed by a client are read as punctuation and letters, not phonemes
    assertThat(Math.abs(written.durationSeconds() - spoken.durationSeconds())).isGreaterThan(0.3);
  }
}
