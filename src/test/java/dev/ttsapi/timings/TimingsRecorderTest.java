package dev.ttsapi.timings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.engine.WordTiming;
import dev.ttsapi.timings.Timing.Source;
import dev.ttsapi.timings.Timing.Unit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where timings point in the text, and how words an engine did not place are spread. */
class TimingsRecorderTest {

  private static final int RATE = 1000;

  @Test
  void chunks_cut_from_a_text_point_back_into_it_across_newlines_and_spaces() {
    String text = "First one.\n\nSecond   sentence here. Third!";
    TimingsRecorder recorder = new TimingsRecorder(text, false, "en-US", RATE);
    recorder.speech("First one.", voiced(100, 800, 100), List.of());
    recorder.speech("Second sentence here. Third!", voiced(100, 1600, 100), List.of());

    Timings timings = recorder.finish();

    assertThat(timings.of(Unit.WORD))
        .extracting(t -> text.substring(t.charStart(), t.charEnd()))
        .containsExactly("First", "one", "Second", "sentence", "here", "Third");
    assertThat(timings.of(Unit.SENTENCE))
        .extracting(t -> text.substring(t.charStart(), t.charEnd()))
        .containsExactly("First one.", "Second   sentence here.", "Third!");
    assertThat(timings.of(Unit.SENTENCE))
        .extracting(Timing::startMs)
        .as("the second chunk starts after the first's 1000 samples")
        .startsWith(0L, 1000L);
    assertThat(timings.durationMs()).isEqualTo(2800);
  }

  @Test
  void unmeasured_words_are_estimated_inside_the_voice_not_the_silence_around_it() {
    String text = "A longer word.";
    TimingsRecorder recorder = new TimingsRecorder(text, false, "en-US", RATE);
    recorder.speech(text, voiced(300, 600, 100), List.of());

    List<Timing> words = recorder.finish().of(Unit.WORD);

    assertThat(words).allSatisfy(w -> assertThat(w.source()).isEqualTo(Source.ESTIMATED));
    assertThat(words.getFirst().startMs()).isEqualTo(300);
    assertThat(words.getLast().endMs()).isEqualTo(900);
    // "longer" has two syllables, "A" one: it takes twice as long
    assertThat(words.get(1).endMs() - words.get(1).startMs())
        .isEqualTo(2 * (words.get(0).endMs() - words.get(0).startMs()));
  }

  @Test
  void measured_words_are_kept_and_the_ones_between_them_fill_the_gap() {
    String text = "one two three four";
    TimingsRecorder recorder = new TimingsRecorder(text, false, "en-US", RATE);
    recorder.speech(
        text,
        voiced(0, 1000, 0),
        List.of(new WordTiming(0, 3, 0, 200), new WordTiming(14, 18, 800, 1000)));

    List<Timing> words = recorder.finish().of(Unit.WORD);

    assertThat(words)
        .extracting(Timing::source)
        .containsExactly(Source.ENGINE, Source.ESTIMATED, Source.ESTIMATED, Source.ENGINE);
    assertThat(words.get(1).startMs()).isEqualTo(200);
    assertThat(words.get(2).endMs()).isEqualTo(800);
  }

  @Test
  void ssml_words_marks_and_read_out_numbers_point_into_the_document() {
    String ssml =
        "<speak>Hello <break time=\"500ms\"/><say-as interpret-as=\"cardinal\">21</say-as>"
            + " apples.<mark name=\"here\"/> Bye.</speak>";
    TimingsRecorder recorder = new TimingsRecorder(ssml, true, "en-US", RATE);
    recorder.speech("Hello", voiced(0, 300, 0), List.of());
    recorder.silence(500);
    recorder.speech("twenty one apples.", voiced(0, 600, 0), List.of());
    recorder.mark("here");
    recorder.speech("Bye.", voiced(0, 200, 0), List.of());

    Timings timings = recorder.finish();

    assertThat(timings.of(Unit.WORD))
        .extracting(t -> ssml.substring(t.charStart(), t.charEnd()))
        .containsExactly("Hello", "21", "21", "apples", "Bye");
    Timing mark = timings.of(Unit.MARK).getFirst();
    assertThat(ssml.substring(mark.charStart(), mark.charEnd())).isEqualTo("<mark name=\"here\"/>");
    assertThat(mark.startMs()).isEqualTo(1400);
    assertThat(timings.of(Unit.SENTENCE).get(1).startMs()).isEqualTo(800);
  }

  @Test
  void offsets_into_the_spoken_text_move_to_the_submitted_one() {
    String submitted = "NASA launched it.";
    String spoken = "nasa space agency launched it.";
    TimingsRecorder recorder = new TimingsRecorder(spoken, false, "en-US", RATE);
    recorder.speech(spoken, voiced(0, 1000, 0), List.of());

    Timings moved = recorder.finish().remapped(spoken, submitted);

    assertThat(moved.of(Unit.WORD))
        .extracting(t -> submitted.substring(t.charStart(), t.charEnd()))
        .containsExactly("NASA", "NASA", "NASA", "launched", "it");
    assertThat(moved.of(Unit.SENTENCE).getFirst().charEnd()).isEqualTo(submitted.length());
  }

  /** Silence, a tone, silence: samples at {@link #RATE}. */
  private static Pcm voiced(int before, int tone, int after) {
    byte[] b = new byte[(before + tone + after) * 2];
    for (int i = before; i < before + tone; i++) {
      short v = (short) (8000 * Math.sin(i * 0.7));
      if (Math.abs(v) < 300) {
        v = (short) (v < 0 ? -300 : 300);
      }
      b[2 * i] = (byte) v;
      b[2 * i + 1] = (byte) (v >> 8);
    }
    return new Pcm(b, RATE);
  }
}
