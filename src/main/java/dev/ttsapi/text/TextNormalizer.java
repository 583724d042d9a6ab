package dev.ttsapi.text;

import java.text.Normalizer;

/**
 * Cleans text before it is hashed and synthesized, so the same words always give the same content
 * key and the engines never see invisible characters. Composes to Unicode NFC (Vietnamese and other
 * diacritics stay, as single code points), drops control and format characters, turns tabs and
 * exotic spaces into plain spaces, collapses whitespace, and trims. Line breaks survive as hints:
 * one {@code \n} for a line break, {@code \n\n} for a paragraph.
 */
public final class TextNormalizer {

  private TextNormalizer() {}

  public static String normalize(String text) {
    if (text == null) {
      return "";
    }
    String composed = Normalizer.normalize(text, Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder(composed.length());
    int pendingSpaces = 0;
    int pendingNewlines = 0;
    for (int i = 0; i < composed.length(); ) {
      int c = composed.codePointAt(i);
      i += Character.charCount(c);
      if (c == '\r') {
        // \r\n is one break; a lone \r (old Mac) is one too
        if (i < composed.length() && composed.charAt(i) == '\n') {
          continue;
        }
        pendingNewlines++;
      } else if (c == '\n' || c == '\u2028' || c == '\u2029' || c == '\u000B' || c == '\f') {
        pendingNewlines++;
      } else if (c == '\t' || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        pendingSpaces++;
      } else if (isInvisible(c)) {
        continue;
      } else {
        if (out.length() > 0) {
          if (pendingNewlines > 1) {
            out.append("\n\n");
          } else if (pendingNewlines == 1) {
            out.append('\n');
          } else if (pendingSpaces > 0) {
            out.append(' ');
          }
        }
        pendingSpaces = 0;
        pendingNewlines = 0;
        out.appendCodePoint(c);
      }
    }
    return out.toString();
  }

  /**
   * True if the string holds a control character (NUL among them) or a lone surrogate: what a short
   * field such as a voice name must not contain, since it could not be stored or shown safely.
   */
  public static boolean hasUnsafeCharacters(String s) {
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      int type = Character.getType(c);
      if (type == Character.CONTROL || type == Character.SURROGATE) {
        return true;
      }
    }
    return false;
  }

  /**
   * Control characters and format characters (zero-width space, byte-order mark, direction marks)
   * carry nothing to speak. Zero-width joiners are kept: some scripts need them to render words. A
   * lone surrogate (half of a pair, as JSON's {@code "\ud800"} can send) is no character at all and
   * cannot be stored as UTF-8.
   */
  private static boolean isInvisible(int c) {
    int type = Character.getType(c);
    if (type == Character.CONTROL || type == Character.SURROGATE) {
      return true;
    }
    return type == Character.FORMAT && c != '\u200D' && c != '\u200C';
  }
}
