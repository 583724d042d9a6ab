package dev.ttsapi.timings;

import java.text.BreakIterator;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The words and sentences of a chunk of text, and how long each word is likely to take. */
final class Words {

  private Words() {}

  /**
   * A word: its characters (punctuation around it left out) and the pause its punctuation asks for
   * after it, in syllables.
   */
  record Word(int start, int end, double syllables, double pauseAfter) {}

  /** A sentence's characters, trimmed. */
  record Sentence(int start, int end) {}

  /** The words of {@code text}: runs without whitespace that hold a letter or a digit. */
  static List<Word> of(String text) {
    List<Word> words = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int begin = i;
      while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int start = begin;
      int end = i;
      while (start < end && !Character.isLetterOrDigit(text.codePointAt(start))) {
        start++;
      }
      while (end > start && !Character.isLetterOrDigit(text.codePointBefore(end))) {
        end--;
      }
      if (end > start) {
        String word = text.substring(start, end);
        words.add(new Word(start, end, syllables(word), pause(text.substring(end, i))));
      }
    }
    return words;
  }

  /** Sentences by the locale's rules, trimmed, never empty. */
  static List<Sentence> sentences(String text, Locale locale) {
    List<Sentence> sentences = new ArrayList<>();
    BreakIterator it = BreakIterator.getSentenceInstance(locale);
    it.setText(text);
    int start = it.first();
    for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
      int s = start;
      int e = end;
      while (s < e && Character.isWhitespace(text.charAt(s))) {
        s++;
      }
      while (e > s && Character.isWhitespace(text.charAt(e - 1))) {
        e--;
      }
      if (e > s) {
        sentences.add(new Sentence(s, e));
      }
    }
    return sentences;
  }

  /**
   * Syllables as vowel groups (diacritics taken off, so Vietnamese counts too), at least one; a
   * digit counts as one, as it is read as a word.
   */
  static double syllables(String word) {
    String plain =
        Normalizer.normalize(word.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
            .replaceAll("\\p{M}", "");
    int count = 0;
    boolean inVowel = false;
    for (int i = 0; i < plain.length(); i++) {
      char c = plain.charAt(i);
      boolean vowel = "aeiouy".indexOf(c) >= 0;
      if (Character.isDigit(c)) {
        count++;
        inVowel = false;
      } else if (vowel && !inVowel) {
        count++;
        inVowel = true;
      } else {
        inVowel = vowel;
      }
    }
    return Math.max(1, count);
  }

  /** A speaker's pause after punctuation, in syllables. */
  static double pause(String punctuation) {
    if (punctuation.matches(".*[.!?…。！？].*")) {
      return 2.0;
    }
    if (punctuation.matches(".*[,;:—–、，；：].*")) {
      return 1.0;
    }
    return 0.0;
  }

  /**
   * Spreads {@code words} over samples {@code from}..{@code to} by their syllables and the pauses
   * between them: {@code start[k]}, {@code end[k]} for each.
   */
  static void estimate(List<Word> words, long from, long to, long[] start, long[] end, int first) {
    double total = 0;
    for (int k = 0; k < words.size(); k++) {
      total += words.get(k).syllables() + (k + 1 < words.size() ? words.get(k).pauseAfter() : 0);
    }
    double perSyllable = (to - from) / Math.max(total, 1e-9);
    double at = from;
    for (int k = 0; k < words.size(); k++) {
      Word w = words.get(k);
      start[first + k] = Math.round(at);
      at += w.syllables() * perSyllable;
      end[first + k] = Math.min(to, Math.round(at));
      if (k + 1 < words.size()) {
        at += w.pauseAfter() * perSyllable;
      }
    }
  }
}
