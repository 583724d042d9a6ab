package dev.ttsapi.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a pronunciation travels inside the text an engine is given: {@code U+0001 phonemes U+0002},
 * the phonemes already in the engine's own alphabet, spaces written as {@code U+001F} so the span
 * holds no whitespace a chunk could be cut at. Control characters never survive {@code
 * TextNormalizer}, so a client's text cannot carry such a span: only a pronunciation lexicon puts
 * one there, and only for an engine that takes phonemes (espeak-ng, MaryTTS). Engines that do not
 * never see one.
 */
public final class PhonemeMarkup {

  static final char START = '\u0001';
  static final char END = '\u0002';
  private static final char SPACE = '\u001F';
  private static final Pattern SPAN = Pattern.compile(START + "([^" + START + END + "]*)" + END);

  private PhonemeMarkup() {}

  /** A span for {@code phonemes} (the engine's alphabet; may hold spaces). */
  public static String wrap(String phonemes) {
    return START + phonemes.replace(' ', SPACE) + END;
  }

  public static boolean contains(String text) {
    return text.indexOf(START) >= 0;
  }

  /**
   * A pronunciation's place in the text, for engines that map what they report back to the text
   * (word timings).
   *
   * @param start index of the span's first char (its start mark)
   * @param end index just past its end mark
   * @param phonemes the phonemes, spaces restored
   */
  public record Span(int start, int end, String phonemes) {}

  /** The text's spans, in order. */
  public static List<Span> spans(String text) {
    List<Span> spans = new ArrayList<>();
    Matcher m = SPAN.matcher(text);
    while (m.find()) {
      spans.add(new Span(m.start(), m.end(), m.group(1).replace(SPACE, ' ')));
    }
    return spans;
  }

  /**
   * The text with every span replaced by what {@code render} makes of its phonemes, and the rest by
   * what {@code plain} makes of it (an engine's escaping of ordinary text).
   */
  public static String render(
      String text, Function<String, String> plain, Function<String, String> render) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    Matcher m = SPAN.matcher(text);
    int last = 0;
    while (m.find()) {
      out.append(plain.apply(text.substring(last, m.start())));
      out.append(render.apply(m.group(1).replace(SPACE, ' ')));
      last = m.end();
    }
    out.append(plain.apply(text.substring(last)));
    return out.toString();
  }
}
