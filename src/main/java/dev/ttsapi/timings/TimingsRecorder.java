package dev.ttsapi.timings;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.engine.WordTiming;
import dev.ttsapi.timings.Timing.Source;
import dev.ttsapi.timings.Timing.Unit;
import dev.ttsapi.timings.Words.Sentence;
import dev.ttsapi.timings.Words.Word;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Collects the timings of one job while its chunks are joined, in the order they are heard. Each
 * chunk's place in the audio is exact (the samples before it); inside a chunk, words are where the
 * engine measured them, else spread over the chunk's voiced samples by their syllables, and
 * sentences run from their first word to their last. Character offsets are into the text the
 * recorder was made with (the text the engine was given, or an SSML document). Not thread-safe.
 */
public final class TimingsRecorder {

  /** Samples quieter than this (about -44 dBFS) are the engine's silence around a chunk. */
  private static final int SILENCE = 200;

  private final String source;
  private final boolean markup;
  private final Locale locale;
  private final int sampleRate;
  private final List<Timing> timings = new ArrayList<>();
  private int cursor;
  private int markCursor;
  private long samples;
  private int drained;

  /**
   * @param source the text the chunks were cut from
   * @param markup whether {@code source} is an SSML document
   * @param language the text's language (for where sentences end)
   * @param sampleRate the sample rate of every chunk
   */
  public TimingsRecorder(String source, boolean markup, String language, int sampleRate) {
    this.source = source;
    this.markup = markup;
    this.locale = Locale.forLanguageTag(language == null ? "und" : language);
    this.sampleRate = sampleRate;
  }

  /**
   * The next chunk: {@code text} spoken as {@code pcm}, with the words its engine measured ({@code
   * words}: characters of {@code text}, samples of {@code pcm}; empty when it measured none).
   */
  public void speech(String text, Pcm pcm, List<WordTiming> measured) {
    place(text, pcm.sampleCount(), voiced(pcm), measured, true);
  }

  /**
   * Timings for audio made before timings were kept (or whose timings were lost): its text spread
   * over its length, every timing {@code estimated}.
   */
  public static Timings estimate(String text, String language, long durationMs) {
    TimingsRecorder recorder = new TimingsRecorder(text, false, language, 1000);
    int n = (int) Math.min(Integer.MAX_VALUE, durationMs);
    recorder.place(text, n, new long[] {0, n}, List.of(), false);
    return recorder.finish();
  }

  /**
   * @param n the chunk's samples
   * @param voiced where in them the voice is heard
   * @param exactEdges whether the chunk's start and end are measured (its audio is at hand)
   */
  private void place(
      String text, int n, long[] voiced, List<WordTiming> measured, boolean exactEdges) {
    Alignment where = Alignment.of(source, cursor, text, markup);
    cursor = where.sourceEnd();
    List<Word> words = Words.of(text);
    long[] start = new long[words.size()];
    long[] end = new long[words.size()];
    boolean[] fromEngine = new boolean[words.size()];
    for (int k = 0; k < words.size(); k++) {
      Word w = words.get(k);
      long s = Long.MAX_VALUE;
      long e = -1;
      for (WordTiming m : measured) {
        if (m.charStart() < w.end() && w.start() < Math.max(m.charEnd(), m.charStart() + 1)) {
          s = Math.min(s, m.startSample());
          e = Math.max(e, m.endSample());
        }
      }
      if (e >= 0) {
        start[k] = Math.min(s, n);
        end[k] = Math.clamp(e, start[k], n);
        fromEngine[k] = true;
      }
    }
    estimateTheRest(voiced, words, start, end, fromEngine);
    List<Sentence> sentences = Words.sentences(text, locale);
    int k = 0;
    for (int i = 0; i < sentences.size(); i++) {
      Sentence sentence = sentences.get(i);
      int first = k;
      while (k < words.size() && words.get(k).start() < sentence.end()) {
        k++;
      }
      // the first sentence starts with the chunk and the last ends with it: exact; a boundary
      // between two is halfway between the words around it
      long from = i == 0 ? 0 : between(end, start, first, n);
      long to = i + 1 == sentences.size() ? n : between(end, start, k, n);
      boolean exact = exactEdges && (sentences.size() == 1 || allFromEngine(fromEngine, first, k));
      add(
          Unit.SENTENCE,
          text.substring(sentence.start(), sentence.end()),
          from,
          Math.max(from, to),
          where.start(sentence.start()),
          where.end(sentence.end()),
          exact ? Source.ENGINE : Source.ESTIMATED);
      for (int j = first; j < k; j++) {
        Word w = words.get(j);
        add(
            Unit.WORD,
            text.substring(w.start(), w.end()),
            start[j],
            end[j],
            where.start(w.start()),
            where.end(w.end()),
            fromEngine[j] ? Source.ENGINE : Source.ESTIMATED);
      }
    }
    samples += n;
  }

  /** Silence of {@code count} samples (an SSML break). */
  public void silence(int count) {
    samples += count;
  }

  /** An SSML mark where the audio so far ends. */
  public void mark(String name) {
    int at = markup ? source.indexOf("<mark", markCursor) : -1;
    int charStart = at >= 0 ? at : cursor;
    int close = at >= 0 ? source.indexOf('>', at) : -1;
    int charEnd = close >= 0 ? close + 1 : charStart;
    markCursor = Math.max(markCursor, charEnd);
    timings.add(
        new Timing(Unit.MARK, name, ms(samples), ms(samples), charStart, charEnd, Source.ENGINE));
  }

  /** The timings recorded since the last call (for a stream that sends them chunk by chunk). */
  public List<Timing> drain() {
    List<Timing> fresh = List.copyOf(timings.subList(drained, timings.size()));
    drained = timings.size();
    return fresh;
  }

  /** The timings recorded, in the order they are heard. */
  public Timings finish() {
    return new Timings(ms(samples), timings);
  }

  private void add(
      Unit unit,
      String text,
      long fromSample,
      long toSample,
      int charStart,
      int charEnd,
      Source source) {
    long startMs = ms(samples + fromSample);
    long endMs = Math.max(startMs, ms(samples + toSample));
    timings.add(
        new Timing(unit, text, startMs, endMs, charStart, Math.max(charStart, charEnd), source));
  }

  private long ms(long sample) {
    return sample * 1000 / sampleRate;
  }

  /**
   * Words the engine did not place are spread over the samples between the placed ones around them;
   * at the ends of the chunk, over its voiced part (not the engine's silence).
   */
  private static void estimateTheRest(
      long[] voiced, List<Word> words, long[] start, long[] end, boolean[] fromEngine) {
    int k = 0;
    while (k < words.size()) {
      if (fromEngine[k]) {
        k++;
        continue;
      }
      int run = k;
      while (run < words.size() && !fromEngine[run]) {
        run++;
      }
      long from = k == 0 ? voiced[0] : end[k - 1];
      long to = run == words.size() ? voiced[1] : start[run];
      Words.estimate(words.subList(k, run), from, Math.max(from, to), start, end, k);
      k = run;
    }
  }

  /** The first and just past the last sample above {@link #SILENCE}; all of it if none is. */
  private static long[] voiced(Pcm pcm) {
    byte[] b = pcm.samples();
    int n = pcm.sampleCount();
    int first = 0;
    while (first < n && Math.abs(sample(b, first)) < SILENCE) {
      first++;
    }
    if (first == n) {
      return new long[] {0, n};
    }
    int last = n;
    while (last > first && Math.abs(sample(b, last - 1)) < SILENCE) {
      last--;
    }
    return new long[] {first, last};
  }

  private static int sample(byte[] b, int i) {
    return (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8));
  }

  private static long between(long[] end, long[] start, int next, long n) {
    if (next <= 0) {
      return next < start.length ? start[next] : 0;
    }
    if (next >= start.length) {
      return end[next - 1];
    }
    return (end[next - 1] + start[next]) / 2;
  }

  private static boolean allFromEngine(boolean[] fromEngine, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!fromEngine[i]) {
        return false;
      }
    }
    return to > from;
  }
}
