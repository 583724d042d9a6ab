package dev.ttsapi.engine.espeak;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.ttsapi.engine.WordTiming;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One synthesis as libespeak-ng's callback delivers it: the samples, the word events (where each
 * word starts) and the pauses (pause phonemes and clause ends, where a word's sound has ended).
 * Filled on the caller's thread, which also decides, at every callback, whether to stop: an
 * interrupt or the deadline.
 */
final class LibespeakSpeech {

  /** espeak_EVENT_TYPE. */
  private static final int EVENT_LIST_TERMINATED = 0;

  private static final int EVENT_WORD = 1;
  private static final int EVENT_END = 5;
  private static final int EVENT_PHONEME = 7;

  /**
   * espeak_EVENT: six ints (type, unique_identifier, text_position, length, audio_position,
   * sample), a pointer (user_data), then an 8-byte union (a phoneme's name for phoneme events).
   */
  private static final int TEXT_POSITION = 8;

  private static final int LENGTH = 12;
  private static final int SAMPLE = 20;
  private static final int ID = 24 + Native.POINTER_SIZE;
  private static final int EVENT_SIZE = align(ID + 8, Native.POINTER_SIZE);

  /** Why a synthesis stopped before its end. */
  enum Stop {
    INTERRUPTED,
    DEADLINE
  }

  private final Thread caller;
  private final long deadlineNanos;
  private short[] samples = new short[1 << 15];
  private int count;
  private final List<int[]> words = new ArrayList<>();
  private int[] pauses = new int[64];
  private int pauseCount;
  private Stop stop;
  private Throwable failure;

  /** A synthesis for the current thread that stops when it is interrupted or at the deadline. */
  LibespeakSpeech(long deadlineNanos) {
    this.caller = Thread.currentThread();
    this.deadlineNanos = deadlineNanos;
  }

  /** Time left until the deadline, in nanoseconds (0 once it has passed). */
  long nanosLeft() {
    return Math.max(0, deadlineNanos - System.nanoTime());
  }

  void received(Pointer wav, int numsamples, Pointer events) {
    if (wav != null && numsamples > 0) {
      if (count + numsamples > samples.length) {
        samples = Arrays.copyOf(samples, Math.max(samples.length * 2, count + numsamples));
      }
      wav.read(0, samples, count, numsamples);
      count += numsamples;
    }
    if (events != null) {
      for (long at = 0; ; at += EVENT_SIZE) {
        int type = events.getInt(at);
        if (type == EVENT_LIST_TERMINATED) {
          break;
        }
        int sample = events.getInt(at + SAMPLE);
        if (type == EVENT_WORD) {
          words.add(
              new int[] {events.getInt(at + TEXT_POSITION), events.getInt(at + LENGTH), sample});
        } else if (type == EVENT_END || (type == EVENT_PHONEME && events.getByte(at + ID) == '_')) {
          addPause(sample);
        }
      }
    }
    if (caller.isInterrupted()) {
      stop = Stop.INTERRUPTED;
    } else if (System.nanoTime() - deadlineNanos > 0) {
      stop = Stop.DEADLINE;
    }
  }

  /**
   * Whether espeak-ng is to stop: the caller was interrupted, the deadline passed, or it failed.
   */
  boolean stopped() {
    return stop != null || failure != null;
  }

  Stop stop() {
    return stop;
  }

  /** What went wrong inside the callback, rethrown on the caller's side; null if nothing. */
  Throwable failure() {
    return failure;
  }

  void fail(Throwable e) {
    failure = e;
  }

  /** The samples as 16-bit little-endian PCM bytes. */
  byte[] pcm() {
    ByteBuffer out = ByteBuffer.allocate(count * 2).order(ByteOrder.LITTLE_ENDIAN);
    out.asShortBuffer().put(samples, 0, count);
    return out.array();
  }

  int sampleCount() {
    return count;
  }

  /**
   * Each word espeak-ng spoke, in the chunk's chars and in these samples: from its word event to
   * the next pause or clause end, or the next word, whichever comes first. A word espeak-ng speaks
   * as several (a number) is one timing; a word whose position lies outside the input is left out.
   */
  List<WordTiming> words(EspeakInput input) {
    int[] sortedPauses = Arrays.copyOf(pauses, pauseCount);
    Arrays.sort(sortedPauses);
    List<WordTiming> timings = new ArrayList<>(words.size());
    for (int i = 0; i < words.size(); i++) {
      int[] word = words.get(i);
      int[] span = input.chunkSpan(word[0], word[1]);
      if (span == null) {
        continue;
      }
      int start = Math.min(word[2], count);
      int end = i + 1 < words.size() ? Math.min(words.get(i + 1)[2], count) : count;
      int pause = firstAfter(sortedPauses, start);
      if (pause < end) {
        end = pause;
      }
      end = Math.max(start, end);
      WordTiming last = timings.isEmpty() ? null : timings.getLast();
      if (last != null && last.charStart() == span[0] && last.charEnd() == span[1]) {
        timings.set(timings.size() - 1, new WordTiming(span[0], span[1], last.startSample(), end));
      } else if (last == null || start >= last.startSample()) {
        timings.add(new WordTiming(span[0], span[1], start, end));
      }
    }
    return spanningUnspokenWords(timings, input);
  }

  /**
   * espeak-ng speaks some words together as one ("in the", "of a": one entry of its dictionary) and
   * reports only the first: the timing covers the words after it that no event names, up to the
   * next timed word (punctuation between them stays out).
   */
  private static List<WordTiming> spanningUnspokenWords(
      List<WordTiming> timings, EspeakInput input) {
    String chunk = input.chunk();
    List<WordTiming> out = new ArrayList<>(timings.size());
    for (int i = 0; i < timings.size(); i++) {
      WordTiming word = timings.get(i);
      int limit = i + 1 < timings.size() ? timings.get(i + 1).charStart() : chunk.length();
      int end = word.charEnd();
      while (true) {
        int tokenStart = end;
        while (tokenStart < limit && Character.isWhitespace(chunk.charAt(tokenStart))) {
          tokenStart++;
        }
        int tokenEnd = tokenStart;
        while (tokenEnd < limit && isWordChar(chunk.charAt(tokenEnd))) {
          tokenEnd++;
        }
        if (tokenStart == end || tokenEnd == tokenStart) {
          break; // no space after the word, or punctuation next
        }
        end = tokenEnd;
      }
      out.add(
          end == word.charEnd()
              ? word
              : new WordTiming(word.charStart(), end, word.startSample(), word.endSample()));
    }
    return out;
  }

  private static boolean isWordChar(char c) {
    int type = Character.getType(c);
    return Character.isLetterOrDigit(c)
        || type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK;
  }

  private void addPause(int sample) {
    if (pauseCount == pauses.length) {
      pauses = Arrays.copyOf(pauses, pauses.length * 2);
    }
    pauses[pauseCount++] = sample;
  }

  /** The first value in {@code sorted} above {@code sample}, or MAX_VALUE. */
  private static int firstAfter(int[] sorted, int sample) {
    int i = Arrays.binarySearch(sorted, sample + 1);
    int at = i >= 0 ? i : -i - 1;
    while (at > 0 && sorted[at - 1] > sample) {
      at--;
    }
    return at < sorted.length ? sorted[at] : Integer.MAX_VALUE;
  }

  private static int align(int offset, int alignment) {
    return (offset + alignment - 1) / alignment * alignment;
  }
}
